"""The media storage the environment asks for: local disk, or an S3-compatible bucket."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from newsroom.storage_settings import media_origins, media_storage

S3 = {
    "NEWSROOM_S3_BUCKET": "newsroom-media",
    "NEWSROOM_S3_REGION": "eu-west-1",
    "NEWSROOM_S3_PUBLIC_URL": "https://media.example.com",
}


def test_without_a_bucket_media_stays_on_local_disk():
    assert media_storage({}, production=True) == {"BACKEND": "newsroom.storage.WholeFileStorage"}
    assert media_storage({"NEWSROOM_S3_BUCKET": "  "}, production=False)["BACKEND"] == (
        "newsroom.storage.WholeFileStorage"
    )


def test_aws_with_a_cdn_and_the_machines_own_credentials():
    storage = media_storage(S3, production=True)
    assert storage == {
        "BACKEND": "newsroom.object_storage.ObjectStorage",
        "OPTIONS": {
            "bucket_name": "newsroom-media",
            "region_name": "eu-west-1",
            "url_protocol": "https:",
            "custom_domain": "media.example.com",
        },
    }
    assert media_origins(storage) == ["https://media.example.com"]


def test_a_self_hosted_store_with_keys_and_path_style_addresses():
    env = {
        "NEWSROOM_S3_BUCKET": "media",
        "NEWSROOM_S3_REGION": "us-east-1",
        "NEWSROOM_S3_ENDPOINT_URL": "http://minio.internal:9000",
        "NEWSROOM_S3_PUBLIC_URL": "https://files.example.com/media/",
        "NEWSROOM_S3_ACCESS_KEY_ID": "key-id",
        "NEWSROOM_S3_SECRET_ACCESS_KEY": "secret",
        "NEWSROOM_S3_ADDRESSING_STYLE": "Path",
    }
    assert media_storage(env, production=True)["OPTIONS"] == {
        "bucket_name": "media",
        "region_name": "us-east-1",
        "url_protocol": "https:",
        "custom_domain": "files.example.com/media",
        "endpoint_url": "http://minio.internal:9000",
        "access_key": "key-id",
        "secret_key": "secret",
        "addressing_style": "path",
    }


def test_development_may_serve_pictures_over_plain_http():
    env = {**S3, "NEWSROOM_S3_PUBLIC_URL": "http://127.0.0.1:9000/media"}
    storage = media_storage(env, production=False)
    assert storage["OPTIONS"]["url_protocol"] == "http:"
    assert storage["OPTIONS"]["custom_domain"] == "127.0.0.1:9000/media"
    assert media_origins(storage) == ["http://127.0.0.1:9000"]
    assert media_origins(media_storage({}, production=False)) == []


def refusal(env, *, production=True):
    with pytest.raises(ImproperlyConfigured) as refused:
        media_storage(env, production=production)
    return str(refused.value)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"NEWSROOM_S3_PUBLIC_URL": None}, "NEWSROOM_S3_PUBLIC_URL must be the address readers"),
        ({"NEWSROOM_S3_REGION": None}, "NEWSROOM_S3_REGION must name the bucket's region"),
        ({"NEWSROOM_S3_ACCESS_KEY_ID": "key-id"}, "go together: set both, or neither"),
        ({"NEWSROOM_S3_SECRET_ACCESS_KEY": "secret"}, "go together: set both, or neither"),
        ({"NEWSROOM_S3_ADDRESSING_STYLE": "dns"}, "must be one of auto, path, virtual"),
        ({"NEWSROOM_S3_PUBLIC_URL": "media.example.com"}, "NEWSROOM_S3_PUBLIC_URL must be a plain"),
        ({"NEWSROOM_S3_PUBLIC_URL": "http://media.example.com"}, "over HTTPS only"),
        ({"NEWSROOM_S3_PUBLIC_URL": "https://media.example.com/?v=1"}, "must be a plain"),
        ({"NEWSROOM_S3_PUBLIC_URL": "https://u:p@media.example.com"}, "must be a plain"),
        ({"NEWSROOM_S3_PUBLIC_URL": "https://[::1"}, "must be a plain"),
        ({"NEWSROOM_S3_ENDPOINT_URL": "minio:9000"}, "NEWSROOM_S3_ENDPOINT_URL must be a plain"),
        ({"NEWSROOM_S3_ENDPOINT_URL": "https://s3.example.com/bucket"}, "must be a plain"),
    ],
)
def test_an_incomplete_or_malformed_bucket_configuration_is_refused(change, reason):
    env = {**S3, **change}
    message = refusal({name: value for name, value in env.items() if value is not None})
    assert message.startswith("Media in object storage: ")
    assert reason in message


def test_every_problem_is_named_at_once_and_no_secret_is_repeated():
    message = refusal({"NEWSROOM_S3_BUCKET": "media", "NEWSROOM_S3_SECRET_ACCESS_KEY": "hunter2"})
    for name in ("NEWSROOM_S3_PUBLIC_URL", "NEWSROOM_S3_REGION", "NEWSROOM_S3_ACCESS_KEY_ID"):
        assert name in message
    assert "hunter2" not in message


def test_bucket_variables_without_a_bucket_do_not_quietly_keep_media_on_one_server():
    env = {name: value for name, value in S3.items() if name != "NEWSROOM_S3_BUCKET"}
    for production in (True, False):
        message = refusal(env, production=production)
        assert "NEWSROOM_S3_PUBLIC_URL, NEWSROOM_S3_REGION set but NEWSROOM_S3_BUCKET is not" in (
            message
        )
