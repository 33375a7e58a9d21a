#!/bin/sh
# A backup of TA Needs: the PostgreSQL database (pg_dump, custom format) and the media folder
# (uploaded evidence and rendered reports), stamped with the UTC time.
#   DATABASE_URL=postgres://... MEDIA_ROOT=/srv/tanneeds/media deploy/backup.sh /var/backups/tanneeds
set -eu
out="${1:?usage: backup.sh FOLDER}"
: "${DATABASE_URL:?set DATABASE_URL}"
: "${MEDIA_ROOT:?set MEDIA_ROOT}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
pg_dump --format=custom --no-owner --no-privileges --file "$out/tanneeds-$stamp.dump" "$DATABASE_URL"
mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -czf "$out/tanneeds-media-$stamp.tar.gz" .
echo "$out/tanneeds-$stamp.dump"
echo "$out/tanneeds-media-$stamp.tar.gz"
