package org.xp2p.upnp;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * PCP (RFC 6887) client for one server: MAP to create, renew and delete mappings, ANNOUNCE to read
 * the server's epoch. Each exchange uses a short-lived socket bound to the configured local
 * address; calls are serialised.
 *
 * <p>The mapping nonce is derived from the request's description, our address, protocol and
 * internal port rather than drawn at random: PCP lets only the holder of the nonce renew or delete
 * a mapping, so a device restarted after a crash must present the same nonce to take its earlier
 * mapping back. The price: an attacker on the path who knows the description can forge renewals
 * for our internal port, which it could disturb anyway by being on the path.
 */
final class PcpClient implements GatewayClient {
    private final InetAddress localAddress;
    private final GatewayDatagrams datagrams;
    private final Duration timeout;

    PcpClient(InetAddress localAddress, InetAddress server, int serverPort, Duration timeout) {
        this.localAddress = localAddress;
        this.datagrams = new GatewayDatagrams(localAddress, server, serverPort);
        this.timeout = timeout;
    }

    @Override
    public MappingMethod method() {
        return MappingMethod.PCP;
    }

    @Override
    public synchronized Grant map(MappingRequest request, int currentExternalPort) throws GatewayException {
        byte[] nonce = nonce(request.description(), request.protocol(), request.internalPort());
        PcpCodec.MapRequest map = new PcpCodec.MapRequest(nonce, request.protocol(), localAddress,
                request.internalPort(), GatewayClient.suggestion(request, currentExternalPort), null, request.lifetimeSeconds());
        PcpCodec.MapResponse reply = datagrams.exchange("PCP map", PcpCodec.encodeMap(map),
                (data, length) -> answerTo(map, PcpCodec.decodeMap(data, length)), timeout);
        if (!reply.header().success()) {
            throw PcpCodec.refusal(reply.header());
        }
        long granted = reply.header().lifetimeSeconds();
        if (granted == 0 || reply.externalPort() == 0) {
            throw new MalformedReplyException("PCP: SUCCESS without a mapping (lifetime " + granted + ", external port "
                    + reply.externalPort() + ")");
        }
        Duration lifetime = Duration.ofSeconds(granted);
        Mapping mapping = new Mapping(MappingMethod.PCP, request.protocol(), localAddress, request.internalPort(),
                reply.externalAddress(), reply.externalPort(), lifetime, Instant.now().plus(lifetime),
                datagrams.gateway());
        return new Grant(mapping, reply.header().epochSeconds());
    }

    @Override
    public synchronized Check check(Mapping mapping) throws GatewayException {
        PcpCodec.ResponseHeader h = datagrams.exchange("PCP announce", PcpCodec.encodeAnnounce(localAddress),
                (data, length) -> PcpCodec.decodeHeader(data, length, PcpCodec.OPCODE_ANNOUNCE), timeout);
        if (!h.success()) {
            throw PcpCodec.refusal(h);
        }
        // ANNOUNCE says nothing about one mapping; the epoch tells whether the server started afresh.
        return new Check(true, h.epochSeconds(), "epoch " + h.epochSeconds());
    }

    /** Deletes with lifetime 0 and the nonce the mapping was created with (RFC 6887 15). */
    @Override
    public synchronized void unmap(MappingRequest request, Mapping mapping) throws GatewayException {
        byte[] nonce = nonce(request.description(), mapping.protocol(), mapping.internalPort());
        PcpCodec.MapRequest delete = new PcpCodec.MapRequest(nonce, mapping.protocol(), localAddress,
                mapping.internalPort(), mapping.externalPort(), mapping.externalAddress(), 0);
        PcpCodec.MapResponse reply = datagrams.exchange("PCP delete", PcpCodec.encodeMap(delete),
                (data, length) -> answerTo(delete, PcpCodec.decodeMap(data, length)), timeout);
        if (!reply.header().success()) {
            throw PcpCodec.refusal(reply.header());
        }
    }

    byte[] nonce(String description, Protocol protocol, int internalPort) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            String seed = "xp2p PCP nonce\0" + description + "\0" + localAddress.getHostAddress() + "\0" + protocol
                    + "\0" + internalPort;
            return Arrays.copyOf(sha.digest(seed.getBytes(StandardCharsets.UTF_8)), PcpCodec.NONCE_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** RFC 6887 11.3: a reply whose nonce, protocol or internal port differ is not ours. */
    private static PcpCodec.MapResponse answerTo(PcpCodec.MapRequest request, PcpCodec.MapResponse r)
            throws MalformedReplyException {
        if (!r.header().success()) {
            return r; // errors copy the request back, but a refusal is a refusal whatever it carries
        }
        if (!Arrays.equals(r.nonce(), request.nonce()) || r.protocol() != request.protocol()
                || r.internalPort() != request.internalPort()) {
            throw new MalformedReplyException("PCP: MAP reply does not match our request (nonce, protocol or port)");
        }
        return r;
    }
}
