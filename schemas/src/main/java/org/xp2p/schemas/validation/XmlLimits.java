package org.xp2p.schemas.validation;

/**
 * How much untrusted XML the validator reads before it stops with a violation.
 *
 * @param maxBytes          size of one document (one stanza or element)
 * @param maxDepth          element nesting; our elements need 3 levels inside a stanza
 * @param maxAttributeChars length of one attribute value
 */
public record XmlLimits(long maxBytes, int maxDepth, int maxAttributeChars) {

    /** One stanza of up to 1 MiB, 32 levels, attributes up to 8192 characters. */
    public static final XmlLimits DEFAULT = new XmlLimits(1 << 20, 32, 8192);

    public XmlLimits {
        if (maxBytes < 1 || maxDepth < 1 || maxAttributeChars < 1) {
            throw new IllegalArgumentException("limits must be positive: " + maxBytes + ", " + maxDepth + ", "
                    + maxAttributeChars);
        }
    }
}
