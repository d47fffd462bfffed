package org.xp2p.schemas.validation;

import java.util.List;
import org.xp2p.schemas.Violation;

/** What the validator found in one document: nothing, or each violation in document order. */
public record ValidationReport(String source, List<Violation> violations) {

    public ValidationReport {
        violations = List.copyOf(violations);
    }

    public boolean valid() {
        return violations.isEmpty();
    }
}
