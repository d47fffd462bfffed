package org.xp2p.schemas.smack;

import org.jivesoftware.smack.packet.IQ;
import org.xp2p.schemas.Violation;

/**
 * A received iq whose xp2p payload was invalid, returned by the iq provider instead of
 * an exception (see {@link InvalidExtension} for why). A device answers a {@code get} or
 * {@code set} of this kind with {@code bad-request} carrying {@link #violation()}.
 */
public final class InvalidIq extends IQ {
    private final Violation violation;

    public InvalidIq(String elementName, String namespace, Violation violation) {
        super(elementName, namespace);
        this.violation = violation;
    }

    public Violation violation() {
        return violation;
    }

    @Override
    protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
        xml.setEmptyElement();
        return xml;
    }
}
