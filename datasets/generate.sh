#!/bin/sh
# Regenerates the shipped fine-tuning data sets from the repository root: ./datasets/generate.sh
# Every step is a shogi-lab command; datasets/README.md explains each one. Steps whose output
# exists are skipped (gensfen itself resumes an unfinished file), so a rerun finishes a broken run.
set -eu
LAB="node bin/shogi-lab.js"
D=datasets
mkdir -p $D/general $D/ranging-rook $D/records $D/gpsusi
step() { printf '%s  %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

step "general teacher data (base model's domain)"
$LAB gensfen --teacher fsf --depth 6 --workers 2 --games 200 --seed 1 --out $D/general/train.bin --json
$LAB gensfen --teacher fsf --depth 6 --workers 2 --games 50 --seed 2 --out $D/general/val.bin --json

step "(a) narrow domain: Ranging Rook openings"
$LAB gensfen --teacher fsf --depth 6 --workers 2 --games 60 --seed 11 --opening-file $D/openings/ranging-rook.txt \
  --random-plies 4 --random-multipv 3 --out $D/ranging-rook/finetune.bin --json
$LAB gensfen --teacher fsf --depth 6 --workers 2 --games 20 --seed 12 --opening-file $D/openings/ranging-rook.txt \
  --random-plies 4 --random-multipv 3 --out $D/ranging-rook/heldout.bin --json

step "(b) game records: engine self-play, kept as KIF, converted with score 0"
if [ ! -d $D/records/kif ]; then
  $LAB arena --plan $D/records/selfplay-plan.json --db /tmp/shogi-lab-records-selfplay.sqlite --json
  $LAB arena export --db /tmp/shogi-lab-records-selfplay.sqlite --format kif --out $D/records/kif
fi
$LAB finetune records --in $D/records/kif --out $D/records/finetune.bin --heldout-out $D/records/heldout.bin --heldout-every 4 --skip-first-plies 16 --force --json

step "(c) second teacher: gpsusi labels of general positions"
$LAB gensfen --teacher fsf --depth 6 --workers 2 --games 16 --seed 21 --out $D/gpsusi/positions-finetune.bin --json
$LAB gensfen --teacher fsf --depth 6 --workers 2 --games 6 --seed 22 --out $D/gpsusi/positions-heldout.bin --json
[ -f $D/gpsusi/finetune.bin ] || $LAB label --teacher gpsusi --depth 4 --workers 2 --in $D/gpsusi/positions-finetune.bin --out $D/gpsusi/finetune.bin --json
[ -f $D/gpsusi/heldout.bin ] || $LAB label --teacher gpsusi --depth 4 --workers 2 --in $D/gpsusi/positions-heldout.bin --out $D/gpsusi/heldout.bin --json
step "done"
