package org.xp2p.schemas;

import java.util.Objects;

/**
 * One reason why a piece of XML is not valid xp2p, located as precisely as the input
 * allows.
 *
 * @param element   the local name of the offending element
 * @param attribute the offending attribute, or null when the fault is the element itself
 * @param reason    what is wrong, in words an integrator can act on
 * @param line      1-based line, or -1 when unknown
 * @param column    1-based column, or -1 when unknown
 */
public record Violation(String element, String attribute, String reason, int line, int column) {

    public static final int UNKNOWN = -1;

    public Violation {
        Objects.requireNonNull(element, "element");
        Objects.requireNonNull(reason, "reason");
    }

    public static Violation of(String element, String attribute, String reason) {
        return new Violation(element, attribute, reason, UNKNOWN, UNKNOWN);
    }

    public Violation at(int line, int column) {
        return new Violation(element, attribute, reason, line, column);
    }

    /** {@code 3:17: <p2p> attribute extPort: 70000 is not a port (0..65535)}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        if (line != UNKNOWN) {
            s.append(line).append(':').append(column).append(": ");
        }
        s.append('<').append(element).append('>');
        if (attribute != null) {
            s.append(" attribute ").append(attribute);
        }
        return s.append(": ").append(reason).toString();
    }
}
