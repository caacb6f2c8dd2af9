"""Where the private files live (STORAGES["default"]), read from the environment.

FILE_STORAGE=local (the default): a folder, MEDIA_ROOT. FILE_STORAGE=s3: a bucket on an
S3-compatible service (AWS, MinIO, ...) through django-storages, so that web and workers on
different machines share the files. The bucket must be private: files are only ever streamed
by views that check access first, never linked to.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured


def private_files_storage(environ: Mapping[str, str]) -> dict:
    """The STORAGES entry for the private files, from FILE_STORAGE and the S3_* variables."""
    kind = environ.get("FILE_STORAGE", "local").strip().lower() or "local"
    if kind == "local":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind != "s3":
        raise ImproperlyConfigured("FILE_STORAGE must be 'local' or 's3'.")
    bucket = environ.get("S3_BUCKET", "").strip()
    if not bucket:
        raise ImproperlyConfigured("FILE_STORAGE=s3 needs S3_BUCKET.")

    def optional(name: str) -> str | None:
        return environ.get(name, "").strip() or None

    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            # Empty: AWS itself. MinIO and other services: their URL.
            "endpoint_url": optional("S3_ENDPOINT_URL"),
            "region_name": optional("S3_REGION"),
            # Empty keys: boto3's own chain (instance role, ~/.aws, AWS_* variables).
            "access_key": optional("S3_ACCESS_KEY_ID"),
            "secret_key": optional("S3_SECRET_ACCESS_KEY"),
            "location": environ.get("S3_PREFIX", "").strip().strip("/"),
            # "path" works with every S3-compatible service; "virtual" for AWS-only setups.
            "addressing_style": optional("S3_ADDRESSING_STYLE") or "path",
            # A new file never replaces another of the same name (as in the folder).
            "file_overwrite": False,
            # No ACL header: the bucket's own (private) policy applies.
            "default_acl": None,
            # Signed URLs are never handed out; should one be made, it is short-lived.
            "querystring_expire": 60,
            # A file read whole (a download, a transcription) is held in memory up to this
            # size and on the local disk above it (django-storages' default keeps it all in
            # memory: a 50 MB recording per request).
            "max_memory_size": 5 * 1024 * 1024,
        },
    }
