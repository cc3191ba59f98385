"""pycognito (PyPI, unmodified) against a real Cognate server.

pycognito's SRP sign-in (`Cognito.authenticate`, from warrant) answers PASSWORD_VERIFIER
without the `Session`, as real Cognito accepts: the SECRET_BLOCK names the challenge. It then
checks the ID and access tokens against the pool's JWKS with the issuer it derives from the
endpoint URL. Runs the server binary named by COGNATE_BIN (default target/debug/cognate).
"""

import json
import os
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.request

import boto3
import botocore.exceptions
from pycognito import Cognito
from pycognito.aws_srp import AWSSRP

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("COGNATE_BIN", os.path.join(ROOT, "target", "debug", "cognate"))
DEV_KEY = "AKIACOGNATEDEVKEY000"
DEV_SECRET = "cognate/dev/secret/access/key/not/for/production"
PASSWORD = "Corr3ct-Horse!"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PycognitoAgainstCognate(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.data = tempfile.TemporaryDirectory()
        port = free_port()
        cls.url = f"http://localhost:{port}"
        cls.server = subprocess.Popen(
            [BINARY, "serve", "--dev", "--listen", f"127.0.0.1:{port}", "--data-dir", cls.data.name,
             "--public-url", cls.url],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.time() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{cls.url}/health", timeout=1) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if time.time() > deadline or cls.server.poll() is not None:
                    raise
                time.sleep(0.1)
        with urllib.request.urlopen(f"{cls.url}/_dev/demo.json", timeout=5) as answer:
            demo = json.load(answer)
        cls.pool_id = demo["userPoolId"]
        cls.client_id = demo["clientId"]
        cls.boto = dict(endpoint_url=cls.url, aws_access_key_id=DEV_KEY, aws_secret_access_key=DEV_SECRET)
        cls.admin = boto3.client("cognito-idp", region_name="us-east-1", **cls.boto)

    @classmethod
    def tearDownClass(cls):
        cls.server.terminate()
        cls.server.wait(timeout=10)
        cls.data.cleanup()

    def user(self, username):
        self.admin.admin_create_user(
            UserPoolId=self.pool_id, Username=username, TemporaryPassword="Temp0rary!x", MessageAction="SUPPRESS"
        )
        self.admin.admin_set_user_password(
            UserPoolId=self.pool_id, Username=username, Password=PASSWORD, Permanent=True
        )

    def cognito(self, username):
        return Cognito(self.pool_id, self.client_id, username=username, boto3_client_kwargs=dict(self.boto))

    def test_srp_sign_in_without_the_session_gets_verified_tokens(self):
        self.user("pat")
        user = self.cognito("pat")
        user.authenticate(password=PASSWORD)
        # authenticate() verified both tokens against the JWKS and the issuer.
        self.assertEqual(user.id_claims["cognito:username"], "pat")
        self.assertEqual(user.access_claims["client_id"], self.client_id)
        self.assertEqual(user.get_user().username, "pat")

    def test_a_wrong_password_is_refused_as_cognito_refuses_it(self):
        self.user("quinn")
        with self.assertRaises(botocore.exceptions.ClientError) as refused:
            self.cognito("quinn").authenticate(password="not-" + PASSWORD)
        self.assertEqual(refused.exception.response["Error"]["Code"], "NotAuthorizedException")

    def test_a_secret_block_answers_its_own_challenge_once(self):
        self.user("robin")
        client = boto3.client("cognito-idp", region_name="us-east-1", **self.boto)
        srp = AWSSRP(username="robin", password=PASSWORD, pool_id=self.pool_id, client_id=self.client_id,
                     client=client)
        started = client.initiate_auth(
            AuthFlow="USER_SRP_AUTH", AuthParameters=srp.get_auth_params(), ClientId=self.client_id
        )
        self.assertEqual(started["ChallengeName"], "PASSWORD_VERIFIER")
        answer = srp.process_challenge(started["ChallengeParameters"], srp.get_auth_params())
        tokens = client.respond_to_auth_challenge(
            ClientId=self.client_id, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=answer
        )
        self.assertIn("AccessToken", tokens["AuthenticationResult"])
        with self.assertRaises(botocore.exceptions.ClientError) as replayed:
            client.respond_to_auth_challenge(
                ClientId=self.client_id, ChallengeName="PASSWORD_VERIFIER", ChallengeResponses=answer
            )
        self.assertEqual(replayed.exception.response["Error"]["Code"], "NotAuthorizedException")


if __name__ == "__main__":
    unittest.main()
