package org.anynas.data.folder;

/** Told about decoding as it goes, so a caller can draw a bar; called from one thread. */
public interface Progress {

    Progress NONE = new Progress() {
        @Override
        public void start(long total) {
        }

        @Override
        public void advance(long n) {
        }

        @Override
        public void done() {
        }
    };

    /** Decoding of {@code total} images begins (only when the cache is built, never on a cache hit). */
    void start(long total);

    void advance(long n);

    void done();
}
