#!/bin/bash
# Neovim 0.7.2, the oldest we support, from Debian bookworm. Prints the nvim path.
source "$(dirname "$0")/_lib.sh"
apt_install neovim
nvim --version | head -1 >&2
command -v nvim
