package org.xp2p.schemas.smack;

import java.util.Optional;
import org.jivesoftware.smack.packet.IQ;
import org.xp2p.schemas.Xp2pNamespace;

/**
 * {@code <iq><synchE2e xmlns="urn:nf:iot:e2e:1.0"><e2e/><p2p/></synchE2e></iq>}: two
 * devices exchanging their current keys and endpoints directly. Requests are sent as
 * {@code set} (deployed devices do; the published XSD says {@code get}, which is
 * accepted too); the result carries the responder's own elements.
 */
public final class SynchE2eIq extends IQ {

    public static final String ELEMENT = "synchE2e";
    public static final String NAMESPACE = Xp2pNamespace.E2E.uri();

    private final E2eElement e2e;
    private final P2pElement p2p;

    /** A {@code set} request carrying our own keys and endpoints (either may be null). */
    public SynchE2eIq(E2eElement e2e, P2pElement p2p) {
        super(ELEMENT, NAMESPACE);
        this.e2e = e2e;
        this.p2p = p2p;
        setType(Type.set);
    }

    /** The result answering {@code request}, carrying the responder's elements. */
    public static SynchE2eIq resultFor(IQ request, E2eElement e2e, P2pElement p2p) {
        SynchE2eIq result = new SynchE2eIq(e2e, p2p);
        result.setType(Type.result);
        result.setStanzaId(request.getStanzaId());
        result.setTo(request.getFrom());
        result.setFrom(request.getTo());
        return result;
    }

    public Optional<E2eElement> e2e() {
        return Optional.ofNullable(e2e);
    }

    public Optional<P2pElement> p2p() {
        return Optional.ofNullable(p2p);
    }

    @Override
    protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
        if (e2e == null && p2p == null) {
            xml.setEmptyElement();
            return xml;
        }
        xml.rightAngleBracket();
        if (e2e != null) {
            xml.append(e2e);
        }
        if (p2p != null) {
            xml.append(p2p);
        }
        return xml;
    }
}
