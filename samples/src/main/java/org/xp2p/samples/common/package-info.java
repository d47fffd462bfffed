/**
 * What the samples share: {@link org.xp2p.samples.common.LoopbackFleet} starts a few
 * secured serverless devices on 127.0.0.1 (identity keys, REQUIRE_E2E, allow-lists) and
 * waits until they see each other; {@link org.xp2p.samples.common.SampleXml} validates the
 * samples' own XML elements against their XSDs; {@link org.xp2p.samples.common.SampleCommand}
 * is {@code xp2p sample}, with one subcommand per sample.
 */
package org.xp2p.samples.common;
