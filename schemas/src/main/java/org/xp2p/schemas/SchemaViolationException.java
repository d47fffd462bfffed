package org.xp2p.schemas;

/** Thrown where XML that must be valid xp2p is not; {@link #violation()} says where and why. */
public class SchemaViolationException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Violation violation;

    public SchemaViolationException(Violation violation) {
        super(violation.toString());
        this.violation = violation;
    }

    public Violation violation() {
        return violation;
    }
}
