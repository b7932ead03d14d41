package org.anynas.data.folder;

import java.util.List;
import java.util.Map;

/** meta.json of a cache entry: written last, so its presence marks a finished entry. Split keys: train, val, test. */
record CacheMeta(int format, String layout, List<String> classNames, int channels, int height, int width,
                 Map<String, List<Integer>> imagesPerClass, List<BadFile> badFiles, String sizeNote, String channelsNote) {
}
