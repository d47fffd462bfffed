package org.xp2p.xmpp.link;

/** Escaping and unescaping of XML text and attribute values; pure functions. */
final class XmlText {
    private XmlText() {
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '\'' -> out.append("&apos;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Resolves the five predefined entities and character references; others are an error. */
    static String unescape(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '&') {
                out.append(c);
                i++;
                continue;
            }
            int semi = s.indexOf(';', i);
            if (semi < 0) {
                throw new IllegalArgumentException("unterminated entity reference");
            }
            String name = s.substring(i + 1, semi);
            switch (name) {
                case "amp" -> out.append('&');
                case "lt" -> out.append('<');
                case "gt" -> out.append('>');
                case "apos" -> out.append('\'');
                case "quot" -> out.append('"');
                default -> {
                    if (name.startsWith("#x")) {
                        out.appendCodePoint(Integer.parseInt(name.substring(2), 16));
                    } else if (name.startsWith("#")) {
                        out.appendCodePoint(Integer.parseInt(name.substring(1)));
                    } else {
                        throw new IllegalArgumentException("undefined entity &" + name + ";");
                    }
                }
            }
            i = semi + 1;
        }
        return out.toString();
    }
}
