package org.xp2p.discovery.mdns;

import java.net.InetAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.jmdns.impl.NameRegister;

/**
 * jmDNS's name register, renaming on conflict the XEP-0174 way: {@code user@machine}
 * becomes {@code user@machine-1}, then {@code user@machine-2}, instead of jmDNS's
 * {@code user@machine (2)}. Host names get the same suffix on their first label.
 * Stateless and thread-safe; installed process-wide by {@link #install()} because jmDNS
 * reads it from a static factory.
 */
public final class XepNameRegister implements NameRegister {

    private static final Pattern NUMBERED = Pattern.compile("^(.*)-(\\d{1,6})$");

    /** Installs the register for the whole process unless one is installed already. */
    public static synchronized void install() {
        try {
            NameRegister.Factory.setRegistry(new XepNameRegister());
        } catch (IllegalStateException e) {
            if (!(NameRegister.Factory.getRegistry() instanceof XepNameRegister)) {
                org.slf4j.LoggerFactory.getLogger(XepNameRegister.class).warn(
                        "Another jmDNS name register is installed; name conflicts are not renamed the XEP-0174 way");
            }
        }
    }

    /** The next name to try after {@code name} was found in use. */
    public static String next(String name) {
        int at = name.lastIndexOf('@');
        String prefix = at < 0 ? "" : name.substring(0, at + 1);
        String machine = at < 0 ? name : name.substring(at + 1);
        Matcher m = NUMBERED.matcher(machine);
        if (m.matches()) {
            return prefix + m.group(1) + "-" + (Long.parseLong(m.group(2)) + 1);
        }
        return prefix + machine + "-1";
    }

    @Override
    public void register(InetAddress networkInterface, String name, NameType type) {
        // nothing to remember: conflicts are detected by jmDNS's probing
    }

    @Override
    public boolean checkName(InetAddress networkInterface, String name, NameType type) {
        return false;
    }

    @Override
    public String incrementName(InetAddress networkInterface, String name, NameType type) {
        if (type == NameType.HOST) {
            int dot = name.indexOf('.');
            String label = dot < 0 ? name : name.substring(0, dot);
            String rest = dot < 0 ? "" : name.substring(dot);
            Matcher m = NUMBERED.matcher(label);
            return (m.matches() ? m.group(1) + "-" + (Long.parseLong(m.group(2)) + 1) : label + "-1") + rest;
        }
        return next(name);
    }
}
