package org.xp2p.samples.firmware;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A {@code major.minor.patch} firmware version, ordered numerically. */
public record FirmwareVersion(int major, int minor, int patch) implements Comparable<FirmwareVersion> {
    private static final Pattern FORM = Pattern.compile("(0|[1-9][0-9]{0,8})\\.(0|[1-9][0-9]{0,8})\\.(0|[1-9][0-9]{0,8})");
    private static final Comparator<FirmwareVersion> ORDER = Comparator.comparingInt(FirmwareVersion::major)
            .thenComparingInt(FirmwareVersion::minor).thenComparingInt(FirmwareVersion::patch);

    public FirmwareVersion {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("version numbers are not negative: " + major + "." + minor + "." + patch);
        }
    }

    public static FirmwareVersion parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a version major.minor.patch");
        }
        return new FirmwareVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    }

    @Override
    public int compareTo(FirmwareVersion o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
