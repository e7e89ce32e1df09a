#!/usr/bin/env bash
# Gradescope runs this once, when it builds the autograder image. The autograder zip holds
# this file, run_autograder, and neuron-kit's source folder as `neuron-kit/`.
set -euo pipefail
apt-get update -q
# bubblewrap: the kernel sandbox around student code. Where the container forbids namespaces,
# grade says so and grades with the layers that remain (one submission per container there).
apt-get install -y -q python3 python3-venv bubblewrap
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install -q /autograder/source/neuron-kit
