package org.xp2p.schemas.smack;

import org.jivesoftware.smack.packet.IQ;

/**
 * An iq whose payload is encrypted: {@code <iq type id to><acp …>…</acp></iq>}. Smack
 * hands the first child of an iq to iq providers, not extension providers, so an
 * encrypted iq needs this type of its own; the e2e module decrypts {@link #payload()}
 * and rebuilds the original iq.
 */
public final class EncryptedIq extends IQ {
    private final EncryptedElement payload;

    public EncryptedIq(EncryptedElement payload, Type type) {
        super(payload.getElementName(), payload.getNamespace());
        this.payload = payload;
        setType(type);
    }

    public EncryptedElement payload() {
        return payload;
    }

    @Override
    protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
        payload.writeAttributesAndContent(xml);
        return xml;
    }
}
