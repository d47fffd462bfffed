package org.xp2p.e2e.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xp2p.schemas.KeyType;
import org.xp2p.schemas.smack.PublishedKey;

/**
 * The ECDH test vectors of RFC 6932 appendix A (IKE groups 27 to 30: brainpoolP224r1,
 * P256r1, P384r1, P512r1), the curves of our bp224, bp256, bp384 and bp512 keys. For each:
 * the initiator's and the responder's private scalar give the published public points
 * (in our little-endian {@code pub} layout), both sides agree on SHA-256 of the shared
 * x coordinate, and the shared point itself is a valid point of the curve.
 *
 * <p>Where the values come from: the stored copies of RFC 6932 this project could read stop
 * after the boilerplate, so the values were typed from published transcriptions of the
 * appendix (the Botan, gematik and PHP-ECC test suites, which agree with each other). A
 * mistyped digit cannot pass: every value is recomputed here from the private scalars.
 * The RFC 7027 vectors are in {@link PrimitiveVectorsTest}.
 */
class BrainpoolRfc6932VectorsTest {

    record Vector(KeyType type, String dA, String xA, String yA, String dB, String xB, String yB, String xZ, String yZ) {
        @Override
        public String toString() {
            return type.elementName();
        }
    }

    static Stream<Vector> appendixA() {
        return Stream.of(
                new Vector(KeyType.BP224,
                        "7C4B7A2C8A4BAD1FBB7D79CC0955DB7C6A4660CA64CC4778159B495E",
                        "B104A67A6F6E85E14EC1825E1539E8ECDBBF584922367DD88C6BDCF2",
                        "46D782E7FDB5F60CD8404301AC5949C58EDB26BC68BA07695B750A94",
                        "63976D4AAE6CD0F6DD18DEFEF55D96569D0507C03E74D6486FFA28FB",
                        "2A97089A9296147B71B21A4B574E1278245B536F14D8C2B9D07A874E",
                        "9B900D7C77A709A797276B8CA1BA61BB95B546FC29F862E44D59D25B",
                        "312DFD98783F9FB77B9704945A73BEB6DCCBE3B65D0F967DCAB574EB",
                        "6F800811D64114B1C48C621AB3357CF93F496E4238696A2A012B3C98"),
                new Vector(KeyType.BP256,
                        "041EB8B1E2BC681BCE8E39963B2E9FC415B05283313DD1A8BCC055F11AE49699",
                        "78028496B5ECAAB3C8B6C12E45DB1E02C9E4D26B4113BC4F015F60C5CCC0D206",
                        "A2AE1762A3831C1D20F03F8D1E3C0C39AFE6F09B4D44BBE80CD100987B05F92B",
                        "06F5240EACDB9837BC96D48274C8AA834B6C87BA9CC3EEDD81F99A16B8D804D3",
                        "8E07E219BA588916C5B06AA30A2F464C2F2ACFC1610A3BE2FB240B635341F0DB",
                        "148EA1D7D1E7E54B9555B6C9AC90629C18B63BEE5D7AA6949EBBF47B24FDE40D",
                        "05E940915549E9F6A4A75693716E37466ABA79B4BF2919877A16DD2CC2E23708",
                        "6BC23B6702BC5A019438CEEA107DAAD8B94232FFBBC350F3B137628FE6FD134C"),
                new Vector(KeyType.BP384,
                        "014EC0755B78594BA47FB0A56F6173045B4331E74BA1A6F47322E70D79D828D97E095884CA72B73FDABD5910DF0FA76A",
                        "45CB26E4384DAF6FB776885307B9A38B7AD1B5C692E0C32F0125332778F3B8D3F50CA358099B30DEB5EE69A95C058B4E",
                        "8173A1C54AFFA7E781D0E1E1D12C0DC2B74F4DF58E4A4E3AF7026C5D32DC530A2CD89C859BB4B4B768497F49AB8CC859",
                        "6B461CB79BD0EA519A87D6828815D8CE7CD9B3CAA0B5A8262CBCD550A015C90095B976F3529957506E1224A861711D54",
                        "01BF92A92EE4BE8DED1A911125C209B03F99E3161CFCC986DC7711383FC30AF9CE28CA3386D59E2C8D72CE1E7B4666E8",
                        "3289C4A3A4FEE035E39BDB885D509D224A142FF9FBCC5CFE5CCBB30268EE47487ED8044858D31D848F7A95C635A347AC",
                        "04CC4FF3DCCCB07AF24E0ACC529955B36D7C807772B92FCBE48F3AFE9A2F370A1F98D3FA73FD0C0747C632E12F1423EC",
                        "7F465F90BD69AFB8F828A214EB9716D66ABC59F17AF7C75EE7F1DE22AB5D05085F5A01A9382D05BF72D96698FE3FF64E"),
                new Vector(KeyType.BP512,
                        "636B6BE0482A6C1C41AA7AE7B245E983392DB94CECEA2660A379CFE159559E35"
                                + "7581825391175FC195D28BAC0CF03A7841A383B95C262B983782874CCE6FE333",
                        "0562E68B9AF7CBFD5565C6B16883B777FF11C199161ECC427A39D17EC2166499"
                                + "389571D6A994977C56AD8252658BA8A1B72AE42F4FB7532151AFC3EF0971CCDA",
                        "A7CA2D8191E21776A89860AFBC1F582FAA308D551C1DC6133AF9F9C3CAD59998"
                                + "D70079548140B90B1F311AFB378AA81F51B275B2BE6B7DEE978EFC7343EA642E",
                        "0AF4E7F6D52EDD52907BB8DBAB3992A0BB696EC10DF11892FF205B66D381ECE7"
                                + "2314E6A6EA079CEA06961DBA5AE6422EF2E9EE803A1F236FB96A1799B86E5C8B",
                        "5A7954E32663DFF11AE24712D87419F26B708AC2B92877D6BFEE2BFC43714D89"
                                + "BBDB6D24D807BBD3AEB7F0C325F862E8BADE4F74636B97EAACE739E11720D323",
                        "96D14621A9283A1BED84DE8DD64836B2C0758B11441179DC0C54C0D49A47C038"
                                + "07D171DD544B72CAAEF7B7CE01C7753E2CAD1A861ECA55A71954EE1BA35E04BE",
                        "1EE8321A4BBF93B9CF8921AB209850EC9B7066D1984EF08C2BB723236208AC8F"
                                + "1A483E79461A00E0D5F6921CE9D360502F85C812BEDEE23AC5B210E5811B191E",
                        "2632095B7B936174B41FD2FAF369B1D18DCADEED7E410A7E251F0831097C50D0"
                                + "2CFED02607B6A2D5ADB4C0006008562208631875B58B54ECDA5A4F9FE9EAABA6"));
    }

    /** Our {@code pub}: X then Y, each little-endian. The RFC prints them big-endian. */
    private static byte[] pub(String x, String y) {
        return Octets.concat(Octets.reversed(Hex.decode(x)), Octets.reversed(Hex.decode(y)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("appendixA")
    void privateScalarsGiveTheAppendixPublicPoints(Vector v) {
        KeyAlgorithm bp = KeyAlgorithms.of(v.type());
        assertEquals(Hex.toHexString(pub(v.xA(), v.yA())), Hex.toHexString(bp.restore(Hex.decode(v.dA())).published().pub()));
        assertEquals(Hex.toHexString(pub(v.xB(), v.yB())), Hex.toHexString(bp.restore(Hex.decode(v.dB())).published().pub()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("appendixA")
    void bothSidesAgreeOnTheHashOfTheAppendixSharedX(Vector v) throws Exception {
        KeyAlgorithm bp = KeyAlgorithms.of(v.type());
        LocalKey initiator = bp.restore(Hex.decode(v.dA()));
        LocalKey responder = bp.restore(Hex.decode(v.dB()));
        byte[] expected = Sha256.of(Hex.decode(v.xZ()));
        assertArrayEquals(expected, initiator.agree(bp.decode(new PublishedKey(v.type(), pub(v.xB(), v.yB())))));
        assertArrayEquals(expected, responder.agree(bp.decode(new PublishedKey(v.type(), pub(v.xA(), v.yA())))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("appendixA")
    void theAppendixSharedPointIsOnTheCurve(Vector v) {
        // decode() refuses points off the curve: this checks the typed y of the shared point too.
        KeyAlgorithms.of(v.type()).decode(new PublishedKey(v.type(), pub(v.xZ(), v.yZ())));
    }
}
