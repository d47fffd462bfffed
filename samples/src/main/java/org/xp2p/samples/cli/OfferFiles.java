package org.xp2p.samples.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.xp2p.discovery.dht.ContactOffer;
import org.xp2p.discovery.dht.ContactOfferException;

/** Reads armoured contact offers from files, turning each failure into advice. Stateless. */
final class OfferFiles {
    /** Offers are a few hundred octets; anything far larger is not one. */
    private static final long MAX_OFFER_BYTES = 64 * 1024;

    private OfferFiles() {
    }

    /** The verified offer in {@code file}. */
    static ContactOffer read(Path file) throws CliException {
        String text;
        try {
            if (Files.size(file) > MAX_OFFER_BYTES) {
                throw new CliException(ExitCodes.BAD_INPUT, file + " is " + Files.size(file) + " octets, too large to "
                        + "be a contact offer");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CliException(ExitCodes.BAD_INPUT, "offer file " + file + " does not exist");
        } catch (IOException e) {
            throw new CliException(ExitCodes.BAD_INPUT, "cannot read offer file " + file + ": " + e.getMessage());
        }
        try {
            return ContactOffer.parse(text);
        } catch (ContactOfferException e) {
            throw new CliException(ExitCodes.BAD_INPUT, "offer " + file + " refused: " + e.getMessage()
                    + "; ask its owner for a fresh copy (`xp2p offer export`) and compare fingerprints with them");
        }
    }
}
