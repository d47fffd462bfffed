package org.xp2p.samples.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GroupDirectoryTest {
    private static final String HOUSE = """
            # a comment line
            device hub       home/hub
            device lamp-1    home/garden/lamp-1   # trailing comment
            device lamp-2    home/garden/lamp-2
            device fountain  home/garden/fountain
            device shed-lamp home/garden/shed/lamp
            device fridge    home/kitchen/fridge
            group garden-lights lamp-1 lamp-2 shed-lamp
            """;

    private static List<String> members(String selector) throws Exception {
        return GroupDirectory.parse(HOUSE).select(selector).members();
    }

    @Test
    void aNamedGroupReachesExactlyItsMembers() throws Exception {
        assertEquals(List.of("lamp-1", "lamp-2", "shed-lamp"), members("group:garden-lights"));
    }

    @Test
    void childrenAreTheDevicesOneLevelUnderAPlace() throws Exception {
        assertEquals(List.of("lamp-1", "lamp-2", "fountain"), members("children:home/garden"));
        assertEquals(List.of("shed-lamp"), members("children:home/garden/shed"));
        assertEquals(List.of("hub"), members("children:home"));
    }

    @Test
    void descendantsAreEveryDeviceUnderAPlace() throws Exception {
        assertEquals(List.of("lamp-1", "lamp-2", "fountain", "shed-lamp"), members("descendants:home/garden"));
        assertEquals(List.of("hub", "lamp-1", "lamp-2", "fountain", "shed-lamp", "fridge"), members("descendants:home"));
    }

    @Test
    void siblingsShareTheParentPlaceButNotThePlaceItself() throws Exception {
        assertEquals(List.of("lamp-2", "fountain"), members("siblings:home/garden/lamp-1"));
        assertEquals(List.of(), members("siblings:home/garden/shed/lamp"));
    }

    @Test
    void anUnknownGroupOrPlaceIsAClearErrorListingWhatExists() throws Exception {
        GroupDirectory d = GroupDirectory.parse(HOUSE);
        UnknownAudienceException g = assertThrows(UnknownAudienceException.class, () -> d.select("group:attic-lights"));
        assertEquals("no group named 'attic-lights'; configured groups: [garden-lights]", g.getMessage());
        UnknownAudienceException p = assertThrows(UnknownAudienceException.class, () -> d.select("children:home/attic"));
        assertTrue(p.getMessage().startsWith("no place 'home/attic' in the hierarchy"), p.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> d.select("garden-lights"));
        assertTrue(bad.getMessage().contains("is not KIND:VALUE"), bad.getMessage());
    }

    @Test
    void badConfigurationLinesAreRefusedWithTheirLineNumber() {
        assertConfigError("device lamp-1\n", "1: 'device' takes a name and a place");
        assertConfigError("device a x\ndevice a y\n", "2: device a is declared twice");
        assertConfigError("device a x\ndevice b x\n", "2: place x already holds device a");
        assertConfigError("device a home//x\n", "1: place 'home//x' is not a path");
        assertConfigError("device Lamp x\n", "1: 'Lamp' is not a name");
        assertConfigError("device a x\ngroup g a ghost\n", "2: group g names ghost, which no 'device' line declares");
        assertConfigError("device a x\ngroup g a a\n", "2: a is listed twice in group g");
        assertConfigError("device a x\ngroup g\n", "2: 'group' takes a name and at least one member");
        assertConfigError("lamp a x\n", "1: 'lamp' is not a declaration");
    }

    @Test
    void groupsMayNameDevicesDeclaredFurtherDown() throws Exception {
        GroupDirectory d = GroupDirectory.parse("group g b a\ndevice a x/a\ndevice b x/b\n");
        assertEquals(List.of("b", "a"), d.select("group:g").members());
    }

    private static void assertConfigError(String text, String expectedStart) {
        GroupConfigException e = assertThrows(GroupConfigException.class, () -> GroupDirectory.parse(text));
        assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
    }
}
