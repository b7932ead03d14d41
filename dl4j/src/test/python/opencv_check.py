"""Runs exported ONNX models in OpenCV's DNN module (Debian's python3-opencv), for OpenCvExportTest.

    python3 opencv_check.py DIR
        for every DIR/NAME.onnx with its input DIR/NAME-x.npy (float32 NCHW), writes OpenCV's output as
        DIR/NAME-cv.npy and prints one line per model: "ok NAME", or "error NAME: WHY" where OpenCV refuses it.
    python3 opencv_check.py --version
        prints cv2.__version__.
"""

import os
import sys

import cv2
import numpy as np


def run(directory):
    for name in sorted(f[:-5] for f in os.listdir(directory) if f.endswith(".onnx")):
        try:
            net = cv2.dnn.readNetFromONNX(os.path.join(directory, name + ".onnx"))
            net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
            net.setInput(np.load(os.path.join(directory, name + "-x.npy")))
            np.save(os.path.join(directory, name + "-cv.npy"), net.forward().astype(np.float32))
            print("ok " + name, flush=True)
        except cv2.error as e:
            print("error %s: %s" % (name, " ".join(str(e).split())), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "--version":
        print(cv2.__version__)
    else:
        run(sys.argv[1])
