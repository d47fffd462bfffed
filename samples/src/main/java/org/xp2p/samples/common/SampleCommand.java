package org.xp2p.samples.common;

import org.xp2p.samples.broadcast.BroadcastSample;
import org.xp2p.samples.firmware.FirmwareSample;
import org.xp2p.samples.groups.GroupsSample;
import org.xp2p.samples.time.TimeSample;
import picocli.CommandLine.Command;

/**
 * {@code xp2p sample NAME}: runs one sample program on loopback and prints what happens.
 * Each exits 0 when everything went as the sample says it should.
 */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Runs a sample on 127.0.0.1 with secured serverless devices and prints a readable account.",
        subcommands = {GroupsSample.class, BroadcastSample.class, FirmwareSample.class, TimeSample.class})
public final class SampleCommand {
}
