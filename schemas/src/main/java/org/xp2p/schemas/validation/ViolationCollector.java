package org.xp2p.schemas.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXParseException;
import org.xp2p.schemas.Violation;

/**
 * Turns the schema validator's errors into {@link Violation}s: names the element (from
 * the {@link InputGuard}) and the attribute (from the message), strips the
 * {@code cvc-…:} codes, shortens echoed values, and folds the two errors Xerces reports
 * for one bad attribute value (the facet, then the attribute) into one.
 */
final class ViolationCollector implements ErrorHandler {
    private static final Pattern CODE = Pattern.compile("^(cvc-[\\w.-]+|[\\w-]+):\\s*");
    private static final Pattern ATTRIBUTE = Pattern.compile("[Aa]ttribute '([^']+)'");
    private static final Pattern QUOTED = Pattern.compile("'([^']{" + (org.xp2p.schemas.Abbreviate.MAX_SHOWN_CHARS + 1) + ",})'");
    /** Enough to show every distinct fault of a document; more would only repeat them. */
    private static final int MAX_VIOLATIONS = 50;

    private final InputGuard guard;
    private final List<Violation> violations = new ArrayList<>();

    ViolationCollector(InputGuard guard) {
        this.guard = guard;
    }

    List<Violation> violations() {
        return violations;
    }

    void add(Violation violation) {
        if (violations.size() < MAX_VIOLATIONS) {
            violations.add(violation);
        }
    }

    @Override
    public void warning(SAXParseException e) {
        // Warnings do not make a document invalid.
    }

    @Override
    public void error(SAXParseException e) {
        String message = e.getMessage() == null ? "invalid" : e.getMessage();
        Matcher attribute = ATTRIBUTE.matcher(message);
        Violation v = new Violation(guard.currentElement(), attribute.find() ? attribute.group(1) : null,
                readable(message), e.getLineNumber(), e.getColumnNumber());
        if (!violations.isEmpty()) {
            Violation last = violations.get(violations.size() - 1);
            if (last.line() == v.line() && last.column() == v.column() && last.element().equals(v.element())) {
                // The second report of the same fault: keep the precise reason, add the attribute.
                violations.set(violations.size() - 1, new Violation(last.element(),
                        last.attribute() != null ? last.attribute() : v.attribute(), last.reason(), last.line(), last.column()));
                return;
            }
        }
        add(v);
    }

    @Override
    public void fatalError(SAXParseException e) {
        String message = e.getMessage() == null ? "not well-formed" : e.getMessage();
        add(new Violation(guard.currentElement(), null, "not well-formed XML: " + readable(message),
                e.getLineNumber(), e.getColumnNumber()));
    }

    private static String readable(String message) {
        String text = CODE.matcher(message).replaceFirst("");
        Matcher quoted = QUOTED.matcher(text);
        StringBuilder out = new StringBuilder();
        while (quoted.find()) {
            quoted.appendReplacement(out, Matcher.quoteReplacement(org.xp2p.schemas.Abbreviate.quote(quoted.group(1))));
        }
        quoted.appendTail(out);
        return out.toString();
    }
}
