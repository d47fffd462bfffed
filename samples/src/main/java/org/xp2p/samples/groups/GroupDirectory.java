package org.xp2p.samples.groups;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Where each device sits in a hierarchy of places and which named groups exist, read from
 * a groups file, and what each selector reaches. The file has one declaration per line;
 * {@code #} starts a comment:
 *
 * <pre>
 * device lamp-1  home/garden/lamp-1     # a device and its place (a path of a-z, 0-9, '-')
 * group  garden-lights  lamp-1 lamp-2   # a named group and its members, all declared devices
 * </pre>
 *
 * Selectors: {@code group:NAME}; {@code children:PLACE} (devices one level under it);
 * {@code descendants:PLACE} (every device under it); {@code siblings:PLACE} (the other
 * devices with the same parent place). Immutable and thread-safe.
 */
public final class GroupDirectory {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern PLACE = Pattern.compile("[a-z0-9-]+(/[a-z0-9-]+)*");
    private static final List<String> KINDS = List.of("group", "children", "descendants", "siblings");

    private final Map<String, String> placeOfDevice;
    private final Map<String, List<String>> groups;

    private GroupDirectory(Map<String, String> placeOfDevice, Map<String, List<String>> groups) {
        this.placeOfDevice = Collections.unmodifiableMap(placeOfDevice);
        this.groups = Collections.unmodifiableMap(groups);
    }

    public static GroupDirectory read(Path file) throws IOException, GroupConfigException {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (GroupConfigException e) {
            throw new GroupConfigException(file + ":" + e.getMessage());
        }
    }

    /** @throws GroupConfigException as {@code LINE: reason} for the first bad line */
    public static GroupDirectory parse(String text) throws GroupConfigException {
        Map<String, String> places = new LinkedHashMap<>();
        Map<String, String> deviceAtPlace = new LinkedHashMap<>();
        Map<String, List<String>> groups = new LinkedHashMap<>();
        Map<String, Integer> groupLine = new LinkedHashMap<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String[] words = (hash >= 0 ? line.substring(0, hash) : line).trim().split("\\s+");
            if (words.length == 1 && words[0].isEmpty()) {
                continue;
            }
            switch (words[0]) {
                case "device" -> {
                    if (words.length != 3) {
                        throw new GroupConfigException(lineNo + ": 'device' takes a name and a place, as in"
                                + " 'device lamp-1 home/garden/lamp-1'");
                    }
                    String name = name(words[1], lineNo);
                    if (!PLACE.matcher(words[2]).matches()) {
                        throw new GroupConfigException(lineNo + ": place '" + words[2]
                                + "' is not a path of a-z, 0-9 and '-' segments separated by '/'");
                    }
                    if (places.containsKey(name)) {
                        throw new GroupConfigException(lineNo + ": device " + name + " is declared twice");
                    }
                    String other = deviceAtPlace.putIfAbsent(words[2], name);
                    if (other != null) {
                        throw new GroupConfigException(lineNo + ": place " + words[2] + " already holds device " + other);
                    }
                    places.put(name, words[2]);
                }
                case "group" -> {
                    if (words.length < 3) {
                        throw new GroupConfigException(lineNo + ": 'group' takes a name and at least one member");
                    }
                    String name = name(words[1], lineNo);
                    if (groups.containsKey(name)) {
                        throw new GroupConfigException(lineNo + ": group " + name + " is declared twice");
                    }
                    Set<String> members = new LinkedHashSet<>();
                    for (int w = 2; w < words.length; w++) {
                        if (!members.add(name(words[w], lineNo))) {
                            throw new GroupConfigException(lineNo + ": " + words[w] + " is listed twice in group " + name);
                        }
                    }
                    groups.put(name, List.copyOf(members));
                    groupLine.put(name, lineNo);
                }
                default -> throw new GroupConfigException(lineNo + ": '" + words[0]
                        + "' is not a declaration; lines start with 'device' or 'group'");
            }
        }
        // members may be declared after the group that names them, so they are checked last
        for (Map.Entry<String, List<String>> g : groups.entrySet()) {
            for (String member : g.getValue()) {
                if (!places.containsKey(member)) {
                    throw new GroupConfigException(groupLine.get(g.getKey()) + ": group " + g.getKey()
                            + " names " + member + ", which no 'device' line declares");
                }
            }
        }
        return new GroupDirectory(places, groups);
    }

    private static String name(String word, int lineNo) throws GroupConfigException {
        if (!NAME.matcher(word).matches()) {
            throw new GroupConfigException(lineNo + ": '" + word + "' is not a name (a-z, 0-9 and '-')");
        }
        return word;
    }

    /** Every declared device, in file order. */
    public List<String> devices() {
        return List.copyOf(placeOfDevice.keySet());
    }

    public Set<String> groupNames() {
        return groups.keySet();
    }

    public String placeOf(String device) {
        String place = placeOfDevice.get(device);
        if (place == null) {
            throw new IllegalArgumentException("no device " + device + " is declared");
        }
        return place;
    }

    /**
     * The devices {@code selector} reaches.
     *
     * @throws UnknownAudienceException when it names no group or place of this directory
     * @throws IllegalArgumentException when it is not {@code kind:value}
     */
    public Audience select(String selector) throws UnknownAudienceException {
        int colon = selector.indexOf(':');
        String kind = colon > 0 ? selector.substring(0, colon) : "";
        String value = colon > 0 ? selector.substring(colon + 1) : "";
        if (!KINDS.contains(kind) || value.isEmpty()) {
            throw new IllegalArgumentException("selector '" + selector + "' is not KIND:VALUE with KIND one of " + KINDS);
        }
        if (kind.equals("group")) {
            List<String> members = groups.get(value);
            if (members == null) {
                throw new UnknownAudienceException("no group named '" + value + "'; configured groups: "
                        + new TreeSet<>(groups.keySet()));
            }
            return new Audience(selector, members);
        }
        if (!isPlace(value)) {
            throw new UnknownAudienceException("no place '" + value + "' in the hierarchy; devices sit at "
                    + placeOfDevice.values());
        }
        List<String> members = new ArrayList<>();
        placeOfDevice.forEach((device, place) -> {
            boolean in = switch (kind) {
                case "children" -> parent(place).equals(value);
                case "descendants" -> place.startsWith(value + "/");
                default -> parent(place).equals(parent(value)) && !place.equals(value); // siblings
            };
            if (in) {
                members.add(device);
            }
        });
        return new Audience(selector, members);
    }

    /** A device's place or any place above one. */
    private boolean isPlace(String place) {
        return placeOfDevice.values().stream().anyMatch(p -> p.equals(place) || p.startsWith(place + "/"));
    }

    private static String parent(String place) {
        int slash = place.lastIndexOf('/');
        return slash < 0 ? "" : place.substring(0, slash);
    }
}
