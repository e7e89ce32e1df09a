#!/usr/bin/env bash
# Gradescope runs this once, when it builds the autograder image. The autograder zip holds
# this file, run_autograder, and neuron-kit's source folder as `neuron-kit/`.
set -euo pipefail
apt-get update -q
apt-get install -y -q python3 python3-venv
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install -q /autograder/source/neuron-kit
