package org.anynas.cli.report;

import java.util.List;
import java.util.Locale;

/** HTML text for the report: escaping, figures and tables (no template engine for one static page). */
final class Html {
    private Html() {
    }

    static String esc(Object o) {
        String s = String.valueOf(o);
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

    /** The PNG at its size, linked to the SVG. */
    static String figure(Figure f) {
        return "<figure><a href=\"" + esc(f.svg()) + "\"><img src=\"" + esc(f.png()) + "\" width=\"" + f.width()
                + "\" height=\"" + f.height() + "\" alt=\"" + esc(f.caption()) + "\"></a><figcaption>" + esc(f.caption())
                + " <a href=\"" + esc(f.svg()) + "\">SVG</a></figcaption></figure>\n";
    }

    static String table(List<String> head, List<List<Object>> rows) {
        StringBuilder b = new StringBuilder("<table><thead><tr>");
        for (String h : head) b.append("<th>").append(esc(h)).append("</th>");
        b.append("</tr></thead><tbody>\n");
        for (List<Object> r : rows) {
            b.append("<tr>");
            for (Object cell : r) {
                boolean number = cell instanceof Number;
                b.append(number ? "<td class=\"num\">" : "<td>").append(esc(cell(cell))).append("</td>");
            }
            b.append("</tr>\n");
        }
        return b.append("</tbody></table>\n").toString();
    }

    static String p(String text) {
        return "<p>" + esc(text) + "</p>\n";
    }

    /** A measurement with {@code decimals} places, a dash when not measured. */
    static String fixed(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "–";
    }

    static String cell(Object v) {
        if (v == null) return "–";
        if (v instanceof Double d) return Double.isFinite(d) ? String.format(Locale.ROOT, "%.4f", d) : "–";
        return v.toString();
    }
}
