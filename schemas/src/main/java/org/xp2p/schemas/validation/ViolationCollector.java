package org.xp2p.schemas.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
    /** Xerces' wordings of the faults our schemas produce most, in words an integrator reads at once. */
    private static final List<Rewrite> REWRITES = List.of(
            new Rewrite("cvc-length-valid", "Value '(.*)' with length = '(\\d+)' is not facet-valid with respect to length '(\\d+)'.*",
                    "'$1' has $2 octets, $3 required"),
            new Rewrite("cvc-minLength-valid", "Value '(.*)' with length = '(\\d+)' is not facet-valid with respect to minLength '(\\d+)'.*",
                    "'$1' has $2 octets, at least $3 required"),
            new Rewrite("cvc-maxLength-valid", "Value '(.*)' with length = '(\\d+)' is not facet-valid with respect to maxLength '(\\d+)'.*",
                    "'$1' has $2 octets, at most $3 allowed"),
            new Rewrite("cvc-maxInclusive-valid", "Value '(.*)' is not facet-valid with respect to maxInclusive '(.*)' for type.*",
                    "'$1' is above the maximum $2"),
            new Rewrite("cvc-minInclusive-valid", "Value '(.*)' is not facet-valid with respect to minInclusive '(.*)' for type.*",
                    "'$1' is below the minimum $2"),
            new Rewrite("cvc-pattern-valid", "Value '(.*)' is not facet-valid with respect to pattern '.*' for type '(.*)'\\.",
                    "'$1' is not a valid $2"),
            new Rewrite("cvc-datatype-valid.1.2.1", "'(.*)' is not a valid value for '(.*)'\\.",
                    "'$1' is not a valid $2"),
            new Rewrite("cvc-datatype-valid.1.2.3", "'(.*)' is not a valid value of union type '(.*)'\\.",
                    "'$1' is not a valid $2"));
    private static final Pattern ATTRIBUTE = Pattern.compile("[Aa]ttribute '([^']+)'");
    /** Codes of the second report Xerces makes for a value it already reported as invalid. */
    private static final Set<String> CONTEXT_CODES = Set.of("cvc-attribute.3", "cvc-complex-type.2.2", "cvc-type.3.1.3");
    /** {@code "urn:nf:iot:e2e:1.0":x25519} in Xerces' element lists: the namespace is implied. */
    private static final Pattern QUALIFIED = Pattern.compile("\"[^\"]*\":");
    /** A long quoted value, as Xerces quotes them: after "alue " or at the start of a message. */
    private static final Pattern QUOTED = Pattern.compile("(?<=^|alue )'([^']{"
            + (org.xp2p.schemas.Abbreviate.MAX_SHOWN_CHARS + 1) + ",})'");
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
        if (!violations.isEmpty() && CONTEXT_CODES.contains(code(message))) {
            Violation last = violations.get(violations.size() - 1);
            if (last.attribute() == null && last.line() == v.line() && last.column() == v.column()
                    && last.element().equals(v.element())) {
                // Xerces reports a bad value twice: the facet that failed, then the attribute or
                // element holding it. Keep the precise reason, add where it was.
                violations.set(violations.size() - 1, new Violation(last.element(), v.attribute(), last.reason(),
                        last.line(), last.column()));
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
        Matcher code = CODE.matcher(message);
        String text = QUALIFIED.matcher(code.replaceFirst("")).replaceAll("");
        if (code.reset().find()) {
            for (Rewrite r : REWRITES) {
                if (r.code.equals(code.group(1))) {
                    Matcher m = r.pattern.matcher(text);
                    if (m.matches()) {
                        text = m.replaceFirst(r.replacement);
                    }
                }
            }
        }
        Matcher quoted = QUOTED.matcher(text);
        StringBuilder out = new StringBuilder();
        while (quoted.find()) {
            quoted.appendReplacement(out, Matcher.quoteReplacement(org.xp2p.schemas.Abbreviate.quote(quoted.group(1))));
        }
        quoted.appendTail(out);
        return out.toString();
    }

    private static String code(String message) {
        Matcher m = CODE.matcher(message);
        return m.find() ? m.group(1) : "";
    }

    private record Rewrite(String code, Pattern pattern, String replacement) {
        Rewrite(String code, String pattern, String replacement) {
            this(code, Pattern.compile(pattern, Pattern.DOTALL), replacement);
        }
    }
}
