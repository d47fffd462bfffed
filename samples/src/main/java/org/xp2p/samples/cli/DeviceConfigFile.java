package org.xp2p.samples.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xp2p.discovery.dht.ContactOffer;

/**
 * Reads and extends the device configuration file: UTF-8 lines of {@code key = value};
 * blank lines and lines starting with {@code #} are ignored; every key at most once.
 * Relative paths are relative to the file's directory.
 *
 * <pre>
 * identity.file = alice.key          # required: made by `xp2p keys create`
 * jid = alice@laptop                 # required: serverless user@machine; broker user@domain/resource
 * mode = serverless                  # required: serverless | broker
 * serverless.address = 127.0.0.1     # serverless: the interface address for mDNS and links
 * serverless.mdns = on               # serverless: off finds peers through the DHT only (needs dht.port)
 * broker.host = xmpp.example.org     # broker: host name or address
 * broker.port = 5222                 # broker: default 5222
 * broker.password = secret           # broker: or broker.password.env = VAR
 * broker.ca = ca.pem                 # broker: the only CA trusted (PEM); default: the system's CAs
 * broker.tls = on                    # broker: off only for a test broker on loopback
 * broker.direct.address = 10.0.0.5   # broker: direct links to peers on this address (default: none)
 * peer.bob.key = BASE64              # allow-list: bob's identity key (44 base64 or 64 hex)
 * peer.bob.jid = bob@laptop          #   its JID (broker mode subscribes to it)
 * peer.bob.dht = 127.0.0.1:4001      #   its DHT addresses, comma-separated
 * peer.carol.offer = carol.offer     # allow-list: a contact offer file instead of .key/.jid/.dht
 *                                    #   (`xp2p offer import` writes this; broker mode's DHT needs it)
 * dht.port = 4000                    # a DHT node on this UDP port (0: any); absent: no DHT
 * dht.address = 127.0.0.1            # default: serverless.address or broker.direct.address
 * dht.seeds = 127.0.0.1:4001         # nodes to join through, comma-separated host:port
 * portmapping = off                  # on: map our ports on the gateway (UPnP IGD, NAT-PMP, PCP)
 * </pre>
 *
 * Every error names the file, the line when there is one, and what a right value looks
 * like. Stateless.
 */
final class DeviceConfigFile {
    static final int DEFAULT_BROKER_PORT = 5222;
    private static final Set<String> GLOBAL_KEYS = Set.of("identity.file", "jid", "mode", "serverless.address", "serverless.mdns",
            "broker.host", "broker.port", "broker.password", "broker.password.env", "broker.ca", "broker.tls",
            "broker.direct.address", "dht.port", "dht.address", "dht.seeds", "portmapping");
    private static final Pattern PEER_KEY = Pattern.compile("peer\\.([A-Za-z0-9_-]+)\\.(key|jid|dht|offer)");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

    private record Entry(String value, int line) {
    }

    private DeviceConfigFile() {
    }

    /**
     * Reads and checks {@code file}.
     *
     * @throws CliException with status {@link ExitCodes#BAD_INPUT} naming the problem
     */
    static DeviceConfig read(Path file) throws CliException {
        Map<String, Entry> entries = entries(file);
        Parser p = new Parser(file, entries);
        Path dir = file.toAbsolutePath().getParent();
        Path identity = dir.resolve(p.required("identity.file", "the identity key file made by `xp2p keys create`"));
        String jid = p.required("jid", "serverless: user@machine; broker: user@domain/resource");
        String mode = p.required("mode", "serverless or broker");
        Optional<InetAddress> serverless = Optional.empty();
        Optional<DeviceConfig.Broker> broker = Optional.empty();
        switch (mode) {
            case "serverless" -> {
                checkJid(p, "jid", jid, false);
                serverless = Optional.of(p.address("serverless.address", p.required("serverless.address",
                        "the address of the interface to announce on, e.g. 192.168.1.20 or 127.0.0.1")));
                p.forbidden("broker.", "mode = serverless");
            }
            case "broker" -> {
                checkJid(p, "jid", jid, true);
                broker = Optional.of(broker(p, dir));
                p.forbidden("serverless.", "mode = broker");
            }
            default -> throw p.error("mode", "'" + mode + "' is not a mode: write serverless or broker");
        }
        List<DeviceConfig.AllowedPeer> allow = allowList(p, dir);
        Optional<DeviceConfig.Dht> dht = Optional.empty();
        if (entries.containsKey("dht.port")) {
            int port = p.port("dht.port", entries.get("dht.port").value(), true);
            InetAddress address;
            if (entries.containsKey("dht.address")) {
                address = p.address("dht.address", entries.get("dht.address").value());
            } else {
                Optional<InetAddress> fallback = serverless.isPresent() ? serverless : broker.get().directAddress();
                address = fallback.orElseThrow(() -> p.missing("dht.address",
                        "the address the DHT node binds to (needed in broker mode without broker.direct.address)"));
            }
            List<InetSocketAddress> seeds = entries.containsKey("dht.seeds")
                    ? p.endpoints("dht.seeds", entries.get("dht.seeds").value()) : List.of();
            dht = Optional.of(new DeviceConfig.Dht(address, port, seeds));
        } else {
            for (String k : List.of("dht.address", "dht.seeds")) {
                if (entries.containsKey(k)) {
                    throw p.error(k, k + " needs dht.port too (the DHT is off without it)");
                }
            }
        }
        boolean mapping = p.onOff("portmapping", false);
        boolean mdns = p.onOff("serverless.mdns", true);
        if (!mdns && dht.isEmpty()) {
            throw p.error("serverless.mdns", "with mDNS off nobody could find this device: set dht.port (and the "
                    + "peers' DHT addresses) or turn mDNS on");
        }
        return new DeviceConfig(file, identity, jid, serverless, mdns, broker, allow, dht, mapping);
    }

    private static DeviceConfig.Broker broker(Parser p, Path dir) throws CliException {
        String host = p.required("broker.host", "the broker's host name or address");
        int port = p.entries.containsKey("broker.port") ? p.port("broker.port", p.entries.get("broker.port").value(), false)
                : DEFAULT_BROKER_PORT;
        String password;
        if (p.entries.containsKey("broker.password") == p.entries.containsKey("broker.password.env")) {
            throw p.entries.containsKey("broker.password") ? p.error("broker.password.env",
                    "give broker.password or broker.password.env, not both")
                    : p.missing("broker.password", "the account's password (or broker.password.env = VAR to read it "
                    + "from the environment)");
        }
        if (p.entries.containsKey("broker.password")) {
            password = p.entries.get("broker.password").value();
        } else {
            String var = p.entries.get("broker.password.env").value();
            password = System.getenv(var);
            if (password == null || password.isEmpty()) {
                throw p.error("broker.password.env", "environment variable " + var + " is not set; export it with the "
                        + "broker password");
            }
        }
        boolean tls = p.onOff("broker.tls", true);
        Optional<Path> ca = Optional.empty();
        if (p.entries.containsKey("broker.ca")) {
            Path caFile = dir.resolve(p.entries.get("broker.ca").value());
            if (!Files.isReadable(caFile)) {
                throw p.error("broker.ca", caFile + " does not exist or cannot be read (a PEM CA certificate)");
            }
            if (!tls) {
                throw p.error("broker.ca", "a pinned CA needs broker.tls = on");
            }
            ca = Optional.of(caFile);
        }
        if (!tls && !isLoopbackLiteral(host)) {
            throw p.error("broker.tls", "broker.tls = off is only for a test broker on loopback, not " + host
                    + "; turn TLS on");
        }
        Optional<InetAddress> direct = p.entries.containsKey("broker.direct.address")
                ? Optional.of(p.address("broker.direct.address", p.entries.get("broker.direct.address").value()))
                : Optional.empty();
        return new DeviceConfig.Broker(host, port, password, ca, tls, direct);
    }

    private static boolean isLoopbackLiteral(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    private static List<DeviceConfig.AllowedPeer> allowList(Parser p, Path dir) throws CliException {
        Map<String, Map<String, Entry>> byName = new TreeMap<>();
        for (Map.Entry<String, Entry> e : p.entries.entrySet()) {
            Matcher m = PEER_KEY.matcher(e.getKey());
            if (m.matches()) {
                byName.computeIfAbsent(m.group(1), n -> new LinkedHashMap<>()).put(m.group(2), e.getValue());
            }
        }
        List<DeviceConfig.AllowedPeer> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, Entry>> peer : byName.entrySet()) {
            String name = peer.getKey();
            Map<String, Entry> fields = peer.getValue();
            String prefix = "peer." + name + ".";
            if (fields.containsKey("offer")) {
                for (String other : List.of("key", "jid", "dht")) {
                    if (fields.containsKey(other)) {
                        throw p.error(prefix + other, "peer " + name + " has an offer file; drop " + prefix + other
                                + " (the offer carries it)");
                    }
                }
                Path offerFile = dir.resolve(fields.get("offer").value());
                ContactOffer offer;
                try {
                    offer = OfferFiles.read(offerFile);
                } catch (CliException e) {
                    throw p.error(prefix + "offer", e.getMessage());
                }
                out.add(new DeviceConfig.AllowedPeer(name, offer.identityKey(), Optional.of(offer.jid()), offer.addresses(),
                        Optional.of(offer)));
                continue;
            }
            if (!fields.containsKey("key")) {
                throw p.missing(prefix + "key", "peer " + name + "'s identity key (from `xp2p keys show` or its offer), "
                        + "or " + prefix + "offer = FILE");
            }
            byte[] key;
            try {
                key = IdentityKeys.decode(fields.get("key").value());
            } catch (IllegalArgumentException e) {
                throw p.error(prefix + "key", e.getMessage());
            }
            Optional<String> jid = Optional.empty();
            if (fields.containsKey("jid")) {
                jid = Optional.of(fields.get("jid").value());
                checkJid(p, prefix + "jid", jid.get(), false);
            }
            List<InetSocketAddress> dht = fields.containsKey("dht") ? p.endpoints(prefix + "dht", fields.get("dht").value())
                    : List.of();
            out.add(new DeviceConfig.AllowedPeer(name, key, jid, dht, Optional.empty()));
        }
        return out;
    }

    private static void checkJid(Parser p, String key, String jid, boolean needResource) throws CliException {
        int at = jid.indexOf('@');
        int slash = jid.indexOf('/');
        if (at <= 0 || at == jid.length() - 1 || (slash >= 0 && slash < at) || jid.contains(" ")) {
            throw p.error(key, "'" + jid + "' is not a JID: write user@machine (serverless) or user@domain/resource "
                    + "(broker)");
        }
        if (needResource && (slash < 0 || slash == jid.length() - 1)) {
            throw p.error(key, "'" + jid + "' has no resource; a broker device needs a fixed one, e.g. " + jid
                    + (slash < 0 ? "/" : "") + "device");
        }
    }

    /** The entries of the file by key, with their line numbers. */
    private static Map<String, Entry> entries(Path file) throws CliException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CliException(ExitCodes.BAD_INPUT, "configuration file " + file + " does not exist; write one "
                    + "(see `xp2p run --help` for its keys)");
        } catch (IOException e) {
            throw new CliException(ExitCodes.BAD_INPUT, "cannot read configuration file " + file + ": " + e.getMessage());
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            int n = i + 1;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new CliException(ExitCodes.BAD_INPUT, file + ":" + n + ": expected key = value, not '" + line + "'");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (!GLOBAL_KEYS.contains(key) && !PEER_KEY.matcher(key).matches()) {
                throw new CliException(ExitCodes.BAD_INPUT, file + ":" + n + ": unknown key '" + key + "'; known keys: "
                        + new java.util.TreeSet<>(GLOBAL_KEYS) + " and peer.NAME.key|jid|dht|offer");
            }
            if (value.isEmpty()) {
                throw new CliException(ExitCodes.BAD_INPUT, file + ":" + n + ": " + key + " has no value");
            }
            Entry before = entries.put(key, new Entry(value, n));
            if (before != null) {
                throw new CliException(ExitCodes.BAD_INPUT, file + ":" + n + ": " + key + " is already set on line "
                        + before.line() + "; keep one of them");
            }
        }
        return entries;
    }

    /**
     * Appends an allowed peer, read from an offer, to the file; returns the name it got there.
     * The signed offer itself is kept in a file next to the configuration ({@code NAME.offer},
     * named by {@code peer.NAME.offer}): broker mode with a DHT needs its signature, which
     * {@code peer.NAME.key/jid/dht} lines would lose.
     */
    static String appendPeer(Path file, DeviceConfig config, ContactOffer offer, String wantedName, String origin)
            throws CliException {
        String name = wantedName != null ? wantedName : suggestedName(offer.jid());
        if (!NAME.matcher(name).matches()) {
            throw new CliException(ExitCodes.USAGE, "'" + name + "' cannot name a peer: use letters, digits, - and _");
        }
        if (wantedName == null) {
            String base = name;
            for (int i = 2; taken(config, name); i++) {
                name = base + "-" + i;
            }
        } else if (taken(config, name)) {
            throw new CliException(ExitCodes.USAGE, "a peer named '" + name + "' is already in " + file
                    + "; choose another --name");
        }
        Path dir = file.toAbsolutePath().getParent();
        String armoured = offer.armoured();
        Path kept = dir.resolve(name + ".offer");
        for (int i = 2; Files.exists(kept) && !sameText(kept, armoured); i++) {
            kept = dir.resolve(name + "-" + i + ".offer"); // never overwrite someone else's file
        }
        String text = System.lineSeparator() + "# " + origin + ", fingerprint " + IdentityKeys.fingerprint(offer.identityKey())
                + System.lineSeparator() + "peer." + name + ".offer = " + kept.getFileName() + System.lineSeparator();
        try {
            Files.writeString(kept, armoured, StandardCharsets.US_ASCII);
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILED, "cannot add the peer to " + file + " (offer kept as " + kept + "): "
                    + e.getMessage());
        }
        return name;
    }

    private static boolean sameText(Path file, String text) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).equals(text);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean taken(DeviceConfig config, String name) {
        return config.allowList().stream().anyMatch(a -> a.name().equals(name));
    }

    private static String suggestedName(String jid) {
        int at = jid.indexOf('@');
        String local = (at > 0 ? jid.substring(0, at) : jid).replaceAll("[^A-Za-z0-9_-]", "-");
        return local.isEmpty() ? "peer" : local;
    }

    static String endpoint(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** Value checks that know the file and line of each key. */
    private record Parser(Path file, Map<String, Entry> entries) {
        String required(String key, String what) throws CliException {
            Entry e = entries.get(key);
            if (e == null) {
                throw missing(key, what);
            }
            return e.value();
        }

        CliException missing(String key, String what) {
            return new CliException(ExitCodes.BAD_INPUT, file + ": missing " + key + " (" + what + ")");
        }

        CliException error(String key, String message) {
            Entry e = entries.get(key);
            return new CliException(ExitCodes.BAD_INPUT, file + (e != null ? ":" + e.line() : "") + ": " + key + ": "
                    + message);
        }

        void forbidden(String prefix, String why) throws CliException {
            for (String k : entries.keySet()) {
                if (k.startsWith(prefix)) {
                    throw error(k, k + " does not apply with " + why + "; remove it");
                }
            }
        }

        boolean onOff(String key, boolean byDefault) throws CliException {
            Entry e = entries.get(key);
            if (e == null) {
                return byDefault;
            }
            return switch (e.value()) {
                case "on", "true", "yes" -> true;
                case "off", "false", "no" -> false;
                default -> throw error(key, "'" + e.value() + "' is neither on nor off");
            };
        }

        /** An IP address literal: an interface address is never looked up by name. */
        InetAddress address(String key, String text) throws CliException {
            String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
            if (!IPV4.matcher(t).matches() && !t.contains(":")) {
                throw error(key, "'" + text + "' is not an IP address; give the interface's address, e.g. 192.168.1.20, "
                        + "127.0.0.1 or fe80::1%eth0 (`ip addr` lists them)");
            }
            try {
                return InetAddress.getByName(t);
            } catch (UnknownHostException e) {
                throw error(key, "'" + text + "' is not a valid IP address: " + e.getMessage());
            }
        }

        int port(String key, String text, boolean zeroAllowed) throws CliException {
            int port;
            try {
                port = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < (zeroAllowed ? 0 : 1) || port > 65535) {
                throw error(key, "'" + text + "' is not a port: give " + (zeroAllowed ? "0 (any) or " : "") + "1..65535");
            }
            return port;
        }

        /** Comma-separated {@code address:port}, IPv6 in brackets. */
        List<InetSocketAddress> endpoints(String key, String text) throws CliException {
            List<InetSocketAddress> out = new ArrayList<>();
            for (String part : text.split(",")) {
                String t = part.strip();
                int colon = t.lastIndexOf(':');
                if (colon <= 0 || (t.indexOf(':') != colon && !t.startsWith("["))) {
                    throw error(key, "'" + t + "' is not address:port (IPv6 as [address]:port)");
                }
                InetAddress a = address(key, t.substring(0, colon));
                out.add(new InetSocketAddress(a, port(key, t.substring(colon + 1), false)));
            }
            return out;
        }
    }
}
