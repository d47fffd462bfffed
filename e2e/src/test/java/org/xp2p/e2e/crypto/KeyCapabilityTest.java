package org.xp2p.e2e.crypto;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xp2p.schemas.KeyType;

/** Asking a key for what its type cannot do fails with the module's own exception, or a security exception for wire input. */
class KeyCapabilityTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @ParameterizedTest
    @EnumSource(value = KeyType.class, names = {"X25519", "X448"})
    void montgomeryKeysCannotSign(KeyType type) {
        LocalKey key = KeyAlgorithms.of(type).generate(RANDOM);
        assertThrows(KeyCapabilityException.class, () -> key.sign(new byte[] {1}, RANDOM));
    }

    @ParameterizedTest
    @EnumSource(value = KeyType.class, names = {"X25519", "ED25519", "P256", "BP256"})
    void agreementKeysWrapAndUnwrapNothing(KeyType type) {
        LocalKey key = KeyAlgorithms.of(type).generate(RANDOM);
        assertThrows(KeyCapabilityException.class, () -> key.asRemote().wrap(RANDOM));
        assertThrows(GeneralSecurityException.class, () -> key.unwrap(new byte[32]));
    }

    @ParameterizedTest
    @EnumSource(value = KeyType.class, names = {"ML128"})
    void transportKeysAgreeNothing(KeyType type) {
        LocalKey key = KeyAlgorithms.of(type).generate(RANDOM);
        assertThrows(GeneralSecurityException.class, () -> key.agree(key.asRemote()));
    }
}
