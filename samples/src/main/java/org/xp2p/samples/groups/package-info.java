/**
 * Sample: one call addresses a named group ("garden-lights") or a place in a hierarchy
 * (the devices under a place, its children, or the siblings of a place), and each member
 * gets its own end-to-end encrypted copy over its own secured link.
 *
 * <p>Who is where and which groups exist comes from a small text file read by
 * {@link org.xp2p.samples.groups.GroupDirectory} (see {@code home.groups} beside it), not
 * from code. {@link org.xp2p.samples.groups.GroupMessenger} sends and reports, member by
 * member, who got a copy and why anyone did not; {@link org.xp2p.samples.groups.GroupInbox}
 * is what a member runs to receive. {@code xp2p sample groups} runs it on loopback.
 */
package org.xp2p.samples.groups;
