package org.xp2p.schemas.validation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.validation.ValidatorHandler;
import org.xml.sax.ContentHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;
import org.xp2p.schemas.Violation;

/**
 * Validates one XML document against the xp2p schemas: either one of our elements on its
 * own ({@code <p2p/>}, {@code <e2e/>}, {@code <aes/>}, {@code <cha/>}, {@code <acp/>},
 * {@code <synchE2e/>}) or a {@code jabber:client} stanza, in which our elements are
 * validated wherever they appear and foreign extensions are left alone. Namespace
 * aliases are accepted. Thread-safe; each call uses its own parser.
 */
public final class StanzaValidator {
    private final XmlLimits limits;

    public StanzaValidator() {
        this(XmlLimits.DEFAULT);
    }

    public StanzaValidator(XmlLimits limits) {
        this.limits = limits;
    }

    public ValidationReport validate(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return validate(in, file.toString());
        }
    }

    public ValidationReport validate(String xml) {
        try {
            return validate(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "(string)");
        } catch (IOException e) {
            throw new IllegalStateException("reading from memory cannot fail", e);
        }
    }

    /**
     * @throws IOException only when reading {@code in} fails; everything wrong with its
     *         content is in the report
     */
    public ValidationReport validate(InputStream in, String source) throws IOException {
        return validate(in, source, null);
    }

    /**
     * Parses and validates, passing the validated events on to {@code downstream} (may be
     * null). The events reach downstream before the verdict is known: use what it built
     * only when no violations are returned.
     */
    public ValidationReport validate(InputStream in, String source, ContentHandler downstream) throws IOException {
        XMLReader parser = SecureXml.newReader();
        InputGuard guard = new InputGuard(limits);
        guard.setParent(parser);
        ViolationCollector errors = new ViolationCollector(guard);
        ValidatorHandler validator = Xp2pSchema.newValidatorHandler();
        validator.setErrorHandler(errors);
        if (downstream != null) {
            validator.setContentHandler(downstream);
        }
        guard.setContentHandler(validator);
        guard.setErrorHandler(errors);
        InputSource input = new InputSource(new LimitedInputStream(in, limits.maxBytes()));
        input.setSystemId(source);
        try {
            guard.parse(input);
        } catch (InputGuard.GuardException e) {
            errors.add(e.violation());
        } catch (SAXParseException e) {
            // Already reported to fatalError; parsing cannot go on after it.
            if (errors.violations().isEmpty()) {
                errors.fatalError(e);
            }
        } catch (SAXException e) {
            errors.add(Violation.of(guard.currentElement(), null, "cannot be read: " + e.getMessage()));
        } catch (LimitedInputStream.TooLargeException e) {
            errors.add(Violation.of(guard.currentElement(), null, e.getMessage()));
        }
        return new ValidationReport(source, errors.violations());
    }
}
