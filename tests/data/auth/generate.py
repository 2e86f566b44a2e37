#!/usr/bin/env python3
"""Regenerates the certificate fixtures of tests/core/tst_certificatecredential.cpp.

Throw-away keys and certificates that exist nowhere else, for the error cases. The sandbox's
registered demo certificate is repackaged (PEM pair, one PEM, PKCS#12) by the test itself from
pbi::sandbox::demo, so that it can never go stale. Run from this directory: python3 generate.py
"""
import datetime
import os

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def self_signed(key, cn, not_before, not_after):
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(not_before).not_valid_after(not_after)
            .sign(key, hashes.SHA256()))


def pem_key(key, password=None):
    enc = (serialization.BestAvailableEncryption(password) if password
           else serialization.NoEncryption())
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, enc)


def pem_cert(cert):
    return cert.public_bytes(serialization.Encoding.PEM)


utc = datetime.timezone.utc

other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
write("other.key.pem", pem_key(other))
write("unregistered.pem", pem_key(other) + pem_cert(self_signed(
    other, "pbi-console-unregistered", datetime.datetime(2020, 1, 1, tzinfo=utc),
    datetime.datetime(2100, 1, 1, tzinfo=utc))))

expired = rsa.generate_private_key(public_exponent=65537, key_size=2048)
write("expired.pem", pem_key(expired) + pem_cert(self_signed(
    expired, "pbi-console-expired", datetime.datetime(2020, 1, 1, tzinfo=utc),
    datetime.datetime(2021, 1, 1, 12, 0, tzinfo=utc))))

eckey = ec.generate_private_key(ec.SECP256R1())
write("ec.pem", pem_key(eckey) + pem_cert(self_signed(
    eckey, "pbi-console-ec", datetime.datetime(2020, 1, 1, tzinfo=utc),
    datetime.datetime(2100, 1, 1, tzinfo=utc))))

write("garbage.pfx", bytes(range(256)) * 4)
