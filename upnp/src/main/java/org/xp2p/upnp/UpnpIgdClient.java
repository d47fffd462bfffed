package org.xp2p.upnp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.bitlet.weupnp.GatewayDevice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UPnP IGD v1/v2 client: our own SSDP search on the configured address, the description read into a
 * weupnp {@link GatewayDevice}, then SOAP actions ({@link IgdSoap}) with real lease durations
 * (weupnp's own addPortMapping always asks for a permanent one). The discovered device is cached
 * and forgotten after any transport failure, so a gateway that restarted (perhaps on another HTTP
 * port) is found again. Calls are serialised.
 */
final class UpnpIgdClient implements GatewayClient {
    private static final Logger LOG = LoggerFactory.getLogger(UpnpIgdClient.class);

    static final int ERROR_NO_SUCH_ENTRY = 714;
    static final int ERROR_CONFLICT = 718;
    static final int ERROR_SAME_PORT_VALUES_REQUIRED = 724;
    static final int ERROR_ONLY_PERMANENT_LEASES = 725;
    static final int ERROR_INVALID_INDEX = 713;
    /** How many other ports we try on an IGDv1 gateway when the one we wanted is taken. */
    static final int RANDOM_PORT_ATTEMPTS = 8;
    /** How far we list the gateway's table looking for our own earlier mapping. */
    static final int MAX_ENTRIES_SCANNED = 256;

    private final InetAddress localAddress;
    private final NetworkInterface networkInterface;
    private final Duration discoveryTimeout;
    private final Duration requestTimeout;
    private GatewayDevice device;

    UpnpIgdClient(InetAddress localAddress, NetworkInterface networkInterface, Duration discoveryTimeout,
            Duration requestTimeout) {
        this.localAddress = localAddress;
        this.networkInterface = networkInterface;
        this.discoveryTimeout = discoveryTimeout;
        this.requestTimeout = requestTimeout;
    }

    @Override
    public MappingMethod method() {
        return MappingMethod.UPNP_IGD;
    }

    @Override
    public synchronized Grant map(MappingRequest request, int currentExternalPort) throws GatewayException {
        GatewayDevice d = device();
        InetAddress external = externalAddress(d);
        int port = currentExternalPort;
        if (port == 0) {
            // After a crash our earlier mapping may still be there: take it back rather than leak it.
            port = findOwn(d, request).orElse(request.preferredExternalPort() != 0
                    ? request.preferredExternalPort() : request.internalPort());
        }
        long lease = request.lifetimeSeconds();
        int granted;
        try {
            granted = add(d, request, port, lease);
        } catch (GatewayRefusedException e) {
            if (e.code() == ERROR_ONLY_PERMANENT_LEASES) {
                // An old IGDv1 that cannot expire mappings: map permanently; we still renew and delete on close.
                LOG.warn("UPnP gateway {} supports only permanent leases; mapping without expiry", d.getLocation());
                lease = 0;
                granted = add(d, request, port, 0);
            } else if (e.code() == ERROR_SAME_PORT_VALUES_REQUIRED && port != request.internalPort()) {
                granted = add(d, request, request.internalPort(), lease);
            } else if (e.code() == ERROR_CONFLICT) {
                granted = addElsewhere(d, request, port, lease);
            } else {
                throw e;
            }
        }
        Duration lifetime = Duration.ofSeconds(request.lifetimeSeconds());
        Mapping mapping = new Mapping(MappingMethod.UPNP_IGD, request.protocol(), localAddress, request.internalPort(),
                external, granted, lifetime, Instant.now().plus(lifetime), host(d));
        return new Grant(mapping, NO_EPOCH);
    }

    @Override
    public synchronized Check check(Mapping mapping) throws GatewayException {
        GatewayDevice d = device();
        Map<String, String> args = new LinkedHashMap<>();
        args.put("NewRemoteHost", "");
        args.put("NewExternalPort", Integer.toString(mapping.externalPort()));
        args.put("NewProtocol", mapping.protocol().upnpName());
        Map<String, String> reply = soap(d, "GetSpecificPortMappingEntry", args, true);
        String code = reply.get("errorCode");
        if (code != null) {
            if (parseCode(code) == ERROR_NO_SUCH_ENTRY) {
                return new Check(false, NO_EPOCH, "gateway has no mapping for external port " + mapping.externalPort());
            }
            throw refused("GetSpecificPortMappingEntry", reply);
        }
        boolean ours = localAddress.getHostAddress().equals(reply.get("NewInternalClient"))
                && Integer.toString(mapping.internalPort()).equals(reply.get("NewInternalPort"));
        if (!ours) {
            return new Check(false, NO_EPOCH, "external port " + mapping.externalPort() + " now leads to "
                    + reply.get("NewInternalClient") + ":" + reply.get("NewInternalPort"));
        }
        InetAddress external = externalAddress(d);
        boolean same = external.equals(mapping.externalAddress());
        return new Check(same, NO_EPOCH, same ? "mapping present" : "external address is now " + external);
    }

    @Override
    public synchronized void unmap(MappingRequest request, Mapping mapping) throws GatewayException {
        GatewayDevice d = device();
        Map<String, String> args = new LinkedHashMap<>();
        args.put("NewRemoteHost", "");
        args.put("NewExternalPort", Integer.toString(mapping.externalPort()));
        args.put("NewProtocol", mapping.protocol().upnpName());
        Map<String, String> reply = soap(d, "DeletePortMapping", args, true);
        String code = reply.get("errorCode");
        if (code != null && parseCode(code) != ERROR_NO_SUCH_ENTRY) {
            throw refused("DeletePortMapping", reply);
        }
    }

    private GatewayDevice device() throws GatewayException {
        if (device != null) {
            return device;
        }
        SsdpResponse answer;
        try {
            answer = new SsdpSearch(localAddress, networkInterface).findGateway(discoveryTimeout)
                    .orElseThrow(() -> new NoGatewayException("UPnP: no Internet gateway answered SSDP on "
                            + localAddress.getHostAddress() + " (" + networkInterface.getName() + ") within "
                            + discoveryTimeout.toMillis() + " ms"));
        } catch (IOException e) {
            throw new NoGatewayException("UPnP: cannot search on " + localAddress.getHostAddress() + ": " + e, e);
        }
        device = IgdDescription.fetch(answer, localAddress, requestTimeout);
        LOG.debug("UPnP gateway {} ({}) at {}", device.getFriendlyName(), device.getServiceType(),
                device.getControlURL());
        return device;
    }

    private InetAddress externalAddress(GatewayDevice d) throws GatewayException {
        Map<String, String> reply = soap(d, "GetExternalIPAddress", Map.of(), false);
        String ip = reply.get("NewExternalIPAddress");
        return IpLiteral.parse(ip).orElseThrow(() -> new MalformedReplyException(
                "UPnP: GetExternalIPAddress gave no IP address: " + reply));
    }

    /** Lists the gateway's table for a mapping of ours: same description, internal client, port, protocol. */
    private Optional<Integer> findOwn(GatewayDevice d, MappingRequest request) throws GatewayException {
        for (int i = 0; i < MAX_ENTRIES_SCANNED; i++) {
            Map<String, String> reply = soap(d, "GetGenericPortMappingEntry",
                    Map.of("NewPortMappingIndex", Integer.toString(i)), true);
            if (reply.containsKey("errorCode")) {
                return Optional.empty(); // 713 SpecifiedArrayIndexInvalid: end of the table
            }
            if (request.description().equals(reply.get("NewPortMappingDescription"))
                    && localAddress.getHostAddress().equals(reply.get("NewInternalClient"))
                    && Integer.toString(request.internalPort()).equals(reply.get("NewInternalPort"))
                    && request.protocol().upnpName().equalsIgnoreCase(reply.get("NewProtocol"))) {
                try {
                    int port = Integer.parseInt(reply.get("NewExternalPort"));
                    LOG.info("UPnP: reusing our earlier mapping of external port {} ('{}')", port, request.description());
                    return Optional.of(port);
                } catch (NumberFormatException e) {
                    throw new MalformedReplyException("UPnP: entry " + i + " has external port '"
                            + reply.get("NewExternalPort") + "'");
                }
            }
        }
        return Optional.empty();
    }

    /** The wanted port is someone else's: IGDv2 picks one for us, on IGDv1 we try random ports. */
    private int addElsewhere(GatewayDevice d, MappingRequest request, int taken, long lease) throws GatewayException {
        if (IgdDescription.serviceVersion(d) == 2) {
            Map<String, String> reply = soap(d, "AddAnyPortMapping", addArgs(request, taken, lease), true);
            if (reply.containsKey("errorCode")) {
                throw refused("AddAnyPortMapping", reply);
            }
            try {
                return Integer.parseInt(reply.getOrDefault("NewReservedPort", "").trim());
            } catch (NumberFormatException e) {
                throw new MalformedReplyException("UPnP: AddAnyPortMapping gave no NewReservedPort: " + reply);
            }
        }
        GatewayRefusedException last = null;
        for (int i = 0; i < RANDOM_PORT_ATTEMPTS; i++) {
            int port = ThreadLocalRandom.current().nextInt(1024, 65536);
            try {
                return add(d, request, port, lease);
            } catch (GatewayRefusedException e) {
                if (e.code() != ERROR_CONFLICT) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    private int add(GatewayDevice d, MappingRequest request, int port, long lease) throws GatewayException {
        Map<String, String> reply = soap(d, "AddPortMapping", addArgs(request, port, lease), true);
        if (reply.containsKey("errorCode")) {
            throw refused("AddPortMapping of external port " + port, reply);
        }
        return port;
    }

    private Map<String, String> addArgs(MappingRequest request, int port, long lease) {
        // Argument order is the order of the service description; some gateways insist on it.
        Map<String, String> args = new LinkedHashMap<>();
        args.put("NewRemoteHost", "");
        args.put("NewExternalPort", Integer.toString(port));
        args.put("NewProtocol", request.protocol().upnpName());
        args.put("NewInternalPort", Integer.toString(request.internalPort()));
        args.put("NewInternalClient", localAddress.getHostAddress());
        args.put("NewEnabled", "1");
        args.put("NewPortMappingDescription", request.description());
        args.put("NewLeaseDuration", Long.toString(lease));
        return args;
    }

    /**
     * One SOAP action. A UPnP fault comes back as a map with errorCode (weupnp parses the fault body);
     * {@code faultsExpected} false turns a fault into an exception at once.
     */
    private Map<String, String> soap(GatewayDevice d, String action, Map<String, String> args, boolean faultsExpected)
            throws GatewayException {
        Map<String, String> reply;
        try {
            reply = IgdSoap.call(d.getControlURL(), d.getServiceType(), action, args, requestTimeout);
        } catch (IOException e) {
            device = null; // perhaps restarted elsewhere: search again next time
            throw new GatewayException("UPnP: " + action + " at " + d.getControlURL() + " failed: " + e, e);
        } catch (MalformedReplyException | RuntimeException e) {
            device = null;
            if (e instanceof MalformedReplyException m) {
                throw m;
            }
            throw new MalformedReplyException("UPnP: " + action + " failed: " + e, e);
        }
        if (!faultsExpected && reply.containsKey("errorCode")) {
            throw refused(action, reply);
        }
        return reply;
    }

    private static GatewayRefusedException refused(String action, Map<String, String> reply) {
        int code = parseCode(reply.get("errorCode"));
        return new GatewayRefusedException("UPnP: " + action + " refused: " + code + " "
                + reply.getOrDefault("errorDescription", ""), code, code == 401 || code == 602);
    }

    private static int parseCode(String code) {
        try {
            return Integer.parseInt(code.trim());
        } catch (NumberFormatException | NullPointerException e) {
            return -1;
        }
    }

    private static InetAddress host(GatewayDevice d) throws MalformedReplyException {
        return IpLiteral.parse(java.net.URI.create(d.getControlURL()).getHost()).orElseThrow(
                () -> new MalformedReplyException("UPnP: control URL " + d.getControlURL() + " has no IP address"));
    }
}
