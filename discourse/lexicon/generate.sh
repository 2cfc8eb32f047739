#!/usr/bin/env bash
# Expands seeds.tsv into lexicon.tsv with hunspell's unmunch (Debian: hunspell-ru hunspell-tools).
# Run once at development time, then review the output by hand before committing it:
#   discourse/lexicon/generate.sh > discourse/lexicon/lexicon.tsv
# The binary never calls hunspell; it only reads the reviewed file.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
aff=${HUNSPELL_AFF:-/usr/share/hunspell/ru_RU.aff}
[ -f "$aff" ] || { echo "generate.sh: $aff not found (apt-get install hunspell-ru hunspell-tools)" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf '# Casefile discourse lexicon. One entry per line, tab-separated:\n'
printf '# lemma, lang, category, rule (alone|near), forms ("|"-separated, every inflected form written out), note.\n'
printf '# Generated from seeds.tsv by generate.sh (hunspell-ru unmunch), then reviewed by hand.\n'
printf '# Replace it with casefile media scan --lexicon FILE.\n'
grep -v '^#' "$here/seeds.tsv" | while IFS=$'\t' read -r lemma lang cat rule flags add drop note; do
  [ -n "$lemma" ] || continue
  : > "$tmp/forms"
  if [ "$flags" != "-" ]; then
    # flags is either FLAGS (the lemma's own paradigm) or WORD/FLAGS (the paradigm of another word)
    case "$flags" in */*) entry=$flags ;; *) entry="$lemma/$flags" ;; esac
    printf '1\n%s\n' "$entry" > "$tmp/one.dic"
    unmunch "$tmp/one.dic" "$aff" 2>/dev/null >> "$tmp/forms"
  fi
  [ "$add" = "-" ] || printf '%s\n' "$add" | tr '|' '\n' >> "$tmp/forms"
  if [ "$drop" != "-" ]; then
    printf '%s\n' "$drop" | tr '|' '\n' > "$tmp/drop"
    grep -vxF -f "$tmp/drop" "$tmp/forms" > "$tmp/kept" || true
    mv "$tmp/kept" "$tmp/forms"
  fi
  forms=$(sed 's/ё/е/g' "$tmp/forms" | awk 'NF && !seen[$0]++' | paste -sd'|')
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$lemma" "$lang" "$cat" "$rule" "$forms" "$note"
done
