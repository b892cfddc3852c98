#!/usr/bin/env bash
# t_golden.sh: make test's entry to the golden report outputs: runs
# golden.sh in compare mode (never --update); prints TAP.
exec bash "$(dirname "$0")/golden.sh"
