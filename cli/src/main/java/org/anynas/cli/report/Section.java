package org.anynas.cli.report;

/** One numbered part of the report page: an anchor, a heading and its HTML body. */
public record Section(String id, String title, String html) {
}
