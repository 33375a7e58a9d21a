#!/bin/sh
# Restore a backup made by backup.sh into an EMPTY database and media folder.
#   DATABASE_URL=postgres://.../tanneeds_restored MEDIA_ROOT=/srv/tanneeds/media \
#     deploy/restore.sh tanneeds-STAMP.dump tanneeds-media-STAMP.tar.gz
set -eu
dump="${1:?usage: restore.sh DUMP MEDIA_TAR}"
media="${2:?usage: restore.sh DUMP MEDIA_TAR}"
: "${DATABASE_URL:?set DATABASE_URL}"
: "${MEDIA_ROOT:?set MEDIA_ROOT}"
pg_restore --no-owner --no-privileges --exit-on-error --dbname "$DATABASE_URL" "$dump"
mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -xzf "$media"
