package org.xp2p.upnp;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;

/**
 * NAT-PMP (RFC 6886) client for one gateway: external address, map, renew, delete. Each exchange
 * uses a short-lived socket bound to the configured local address; calls are serialised.
 */
final class NatPmpClient implements GatewayClient {
    private final InetAddress localAddress;
    private final GatewayDatagrams datagrams;
    private final Duration timeout;

    NatPmpClient(InetAddress localAddress, InetAddress gateway, int serverPort, Duration timeout) {
        this.localAddress = localAddress;
        this.datagrams = new GatewayDatagrams(localAddress, gateway, serverPort);
        this.timeout = timeout;
    }

    @Override
    public MappingMethod method() {
        return MappingMethod.NAT_PMP;
    }

    @Override
    public synchronized Grant map(MappingRequest request, int currentExternalPort) throws GatewayException {
        NatPmpCodec.ExternalAddressResponse address = externalAddress();
        byte[] packet = NatPmpCodec.mapRequest(request.protocol(), request.internalPort(), GatewayClient.suggestion(request, currentExternalPort),
                request.lifetimeSeconds());
        NatPmpCodec.MapResponse reply = datagrams.exchange("NAT-PMP map", packet,
                (data, length) -> answerTo(request, NatPmpCodec.decodeMap(data, length, request.protocol())), timeout);
        if (reply.lifetimeSeconds() == 0 || reply.externalPort() == 0) {
            throw new MalformedReplyException("NAT-PMP: success without a mapping (lifetime " + reply.lifetimeSeconds()
                    + ", external port " + reply.externalPort() + ")");
        }
        Duration lifetime = Duration.ofSeconds(reply.lifetimeSeconds());
        Mapping mapping = new Mapping(MappingMethod.NAT_PMP, request.protocol(), localAddress, request.internalPort(),
                address.externalAddress(), reply.externalPort(), lifetime, Instant.now().plus(lifetime),
                datagrams.gateway());
        return new Grant(mapping, reply.epochSeconds());
    }

    @Override
    public synchronized Check check(Mapping mapping) throws GatewayException {
        // NAT-PMP cannot list mappings; the external address and the epoch are what it can tell.
        NatPmpCodec.ExternalAddressResponse address = externalAddress();
        boolean same = address.externalAddress().equals(mapping.externalAddress());
        return new Check(same, address.epochSeconds(),
                same ? "external address unchanged" : "external address is now " + address.externalAddress());
    }

    @Override
    public synchronized void unmap(MappingRequest request, Mapping mapping) throws GatewayException {
        // RFC 6886 3.4: lifetime 0 and external port 0 delete the mapping of this internal port.
        byte[] packet = NatPmpCodec.mapRequest(mapping.protocol(), mapping.internalPort(), 0, 0);
        datagrams.exchange("NAT-PMP delete", packet, (data, length) -> {
            NatPmpCodec.MapResponse r = NatPmpCodec.decodeMap(data, length, mapping.protocol());
            if (r.internalPort() != mapping.internalPort()) {
                throw new MalformedReplyException("NAT-PMP: delete reply for internal port " + r.internalPort());
            }
            return r;
        }, timeout);
    }

    private NatPmpCodec.ExternalAddressResponse externalAddress() throws GatewayException {
        return datagrams.exchange("NAT-PMP external address", NatPmpCodec.externalAddressRequest(),
                NatPmpCodec::decodeExternalAddress, timeout);
    }

    private static NatPmpCodec.MapResponse answerTo(MappingRequest request, NatPmpCodec.MapResponse r)
            throws MalformedReplyException {
        if (r.internalPort() != request.internalPort()) {
            throw new MalformedReplyException("NAT-PMP: reply for internal port " + r.internalPort() + ", asked "
                    + request.internalPort());
        }
        return r;
    }
}
