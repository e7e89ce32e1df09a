"""Correct answers in other styles: each scores full marks, since a check is never stricter than
the contract (../shared/spec/exercises.md)."""

from __future__ import annotations

import shutil
import zipfile

import pytest

from grader import grading, submission

from .conftest import FULL, SOLUTIONS, scores, write_submission

pytestmark = pytest.mark.slow
SUM = "    return sum(wi * xi for wi, xi in zip(w, x))"
VARIANTS = {
    "dot adds into a float": {"dot_product": [(SUM, (
        "    total = 0.0\n    for i in range(len(w)):\n        total += w[i] * x[i]\n"
        "    return total"))]},
    "dot with math.fsum": {"dot_product": [(SUM, (
        "    import math\n    return math.fsum(wi * xi for wi, xi in zip(w, x))"))]},
    "dot with a float start": {"dot_product": [(SUM, (
        "    return sum((wi * xi for wi, xi in zip(w, x)), 0.0)"))]},
    "floats for every 0 and 1": {"activations": [
        ("    return 1 if z > 0 else 0\n    # END SOLUTION\n\n\ndef sigmoid_prime",
         "    return 1.0 if z > 0 else 0.0\n    # END SOLUTION\n\n\ndef sigmoid_prime"),
        ("    return 1 if z > 0 else 0\n    # END SOLUTION\n\n\ndef chain",
         "    return 1.0 if z > 0 else 0.0\n    # END SOLUTION\n\n\ndef chain"),
        ("return max(0, z)", "return max(0.0, z)"),
        ("    gradient = 1\n", "    gradient = 1.0\n")],
        # predict and xor return an int, as the contract says, whatever step returns
        "perceptron": [("    return step(dot(w, x) + b)", "    return int(step(dot(w, x) + b))")],
        "xor_network": [("    return step(dot(w_out, hidden) + b_out)",
                         "    return int(step(dot(w_out, hidden) + b_out))")]},
    "chain_gradient with math.prod": {"activations": [(
        "    gradient = 1\n    for z in zs:\n        gradient *= prime(z)\n    return gradient",
        "    return math.prod(prime(z) for z in zs)")]},
    "module imports and a helper": {"neuron": [
        ("from dot_product import dot", "import dot_product"),
        ("activation(dot(w, x) + b)", "activation(weighted_sum(w, x, b))"),
        ("def decision_boundary(", "def weighted_sum(w, x, b):\n    return dot_product.dot(w, x)"
                                   " + b\n\n\ndef decision_boundary(")]},
    "vectors returned as tuples": {
        "perceptron": [("    return [wi + lr * err * xi for wi, xi in zip(w, x)], b + lr * err",
                        "    return tuple(wi + lr * err * xi for wi, xi in zip(w, x)), "
                        "b + lr * err")],
        "xor_network": [("    return [activation(dot(wi, x) + bi) for wi, bi in zip(W, b)]",
                         "    return tuple(activation(dot(wi, x) + bi) for wi, bi in zip(W, b))")],
        "universal": [("    return [(left, right, f((left + right) / 2)) for left, right in edges]",
                       "    return tuple([left, right, f((left + right) / 2)] "
                       "for left, right in edges)")]},
    "star imports": {"xor_network": [
        ("from dot_product import dot", "from dot_product import *")]},
    "learned gate weights": {"perceptron": [(
        "    return HAND_WEIGHTS[gate]", "    w, b, _ = train(GATES[gate])\n    return w, b")]},
    "a hidden layer of three neurons": {"xor_network": [(
        "    [[1, 1], [-1, -1]],\n    [-0.5, 1.5],\n    [1, 1],\n    -1.5,",
        "    [[1, 1], [-1, -1], [0, 0]],\n    [-0.5, 1.5, -1],\n    [1, 1, 5],\n    -1.5,")]},
}


@pytest.mark.parametrize("edits", VARIANTS.values(), ids=list(VARIANTS))
def test_a_correct_variant_scores_full_marks(grade_with, edits):
    assert scores(grade_with(edits)) == FULL


def test_windows_files_score_full_marks(tmp_path):
    """CRLF line ends with a byte-order mark, and a comment saved in cp1252 (as CPython
    imports it)."""
    folder = write_submission(tmp_path / "windows")
    for path in folder.glob("*.py"):
        text = path.read_text().replace("\n", "\r\n")
        data = text.encode("utf-8")
        path.write_bytes(b"\xef\xbb\xbf" + data if path.stem != "neuron" else
                         data + "# caf\u00e9, as a Windows editor saves it\r\n".encode("cp1252"))
    assert scores(grading.grade(submission.read(folder))) == FULL


def test_a_zip_made_by_finder_and_a_cluttered_folder_score_full_marks(tmp_path):
    folder = write_submission(tmp_path / "alice")
    (folder / "__pycache__").mkdir(exist_ok=True)
    (folder / "__pycache__" / "dot_product.cpython-311.pyc").write_bytes(b"\0junk")
    (folder / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (folder / "dot_product.py~").write_text("def dot(w, x):\n    return 0\n")
    (folder / "#neuron.py#").write_text("broken(")
    assert scores(grading.grade(submission.read(folder))) == FULL
    with zipfile.ZipFile(tmp_path / "alice.zip", "w") as archive:
        for path in sorted(SOLUTIONS.glob("*.py")):
            archive.write(path, f"alice/{path.name}")
            archive.writestr(f"__MACOSX/alice/._{path.name}", b"\0\5\26\7 resource fork")
        archive.writestr("alice/.DS_Store", b"\0\0\0\1Bud1")
    assert scores(grading.grade(submission.read(tmp_path / "alice.zip"))) == FULL
    shutil.rmtree(folder)
