//! The admin operations: creating users with invitations and temporary passwords, the
//! NEW_PASSWORD_REQUIRED challenge, managing users' state and attributes, admin sign-in and
//! ListUsers with filters and pagination.

use std::collections::HashSet;

use aws_sdk_cognitoidentityprovider as cip;
use cip::operation::admin_create_user::AdminCreateUserOutput;
use cip::operation::admin_get_user::AdminGetUserOutput;
use cip::operation::respond_to_auth_challenge::RespondToAuthChallengeOutput as Answer;
use cip::types::{AuthFlowType, ChallengeNameType, ExplicitAuthFlowsType, MessageActionType, UserStatusType};

use super::support::*;

const TEMP: &str = "Temp0rary!";
const NOT_AUTHORIZED: Option<&str> = Some("NotAuthorizedException");
const NOT_FOUND: Option<&str> = Some("UserNotFoundException");
const NEW_PASSWORD: ChallengeNameType = ChallengeNameType::NewPasswordRequired;

/// A server with a pool (email alias, auto-verified) and a LEGACY client.
struct Fixture {
    server: TestServer,
    pool: String,
    client: String,
}

impl Fixture {
    async fn new() -> Self {
        let server = TestServer::start().await;
        let (pool, client) = server.pool_and_client(true).await;
        Fixture { server, pool, client }
    }

    async fn status(&self, username: &str) -> Result<UserStatusType, String> {
        let user = self.get(username).await?;
        Ok(user.user_status().expect("status").clone())
    }

    async fn get(&self, username: &str) -> Result<AdminGetUserOutput, String> {
        let request = self.server.admin.admin_get_user().user_pool_id(&self.pool);
        request.username(username).send().await.map_err(|e| code(&e))
    }

    async fn attribute(&self, username: &str, name: &str) -> Option<String> {
        let user = self.get(username).await.expect("get user");
        let found = user.user_attributes().iter().find(|a| a.name() == name);
        found.and_then(|a| a.value()).map(str::to_owned)
    }

    /// AdminCreateUser with email `<username>@example.com`; None lets the server pick a password.
    async fn invite(
        &self,
        username: &str,
        temporary: Option<&str>,
        action: Option<MessageActionType>,
    ) -> Result<AdminCreateUserOutput, String> {
        let request = self.server.admin.admin_create_user().user_pool_id(&self.pool);
        let email = attr("email", &format!("{username}@example.com"));
        let request = request.username(username).user_attributes(email);
        let temporary = temporary.map(str::to_owned);
        let request = request.set_message_action(action).set_temporary_password(temporary);
        request.send().await.map_err(|e| code(&e))
    }

    /// A user created by the admin without an invitation, with the temporary password TEMP.
    async fn quiet_invite(&self, username: &str) {
        let action = Some(MessageActionType::Suppress);
        self.invite(username, Some(TEMP), action).await.expect("create user");
    }

    /// Self-service sign-up with email `<username>@example.com`, left unconfirmed.
    async fn sign_up(&self, username: &str) {
        let request = self.server.public.sign_up().client_id(&self.client);
        let email = attr("email", &format!("{username}@example.com"));
        let request = request.username(username).password(PASSWORD).user_attributes(email);
        request.send().await.expect("sign up");
    }

    /// The error name of a USER_PASSWORD_AUTH sign-in, None when it succeeded.
    async fn sign_in_error(&self, username: &str, password: &str) -> Option<String> {
        self.server.try_sign_in(&self.client, username, password).await.err()
    }

    /// Signs in with a temporary password; returns the NEW_PASSWORD_REQUIRED session.
    async fn challenge(&self, username: &str, password: &str) -> String {
        let out = self.server.try_sign_in(&self.client, username, password).await;
        let out = out.expect("sign in");
        assert_eq!(out.challenge_name(), Some(&NEW_PASSWORD));
        assert!(out.authentication_result().is_none());
        out.session().expect("session").to_owned()
    }

    async fn new_password(&self, session: &str, username: &str, password: &str) -> Result<Answer, String> {
        let request = self.server.public.respond_to_auth_challenge().client_id(&self.client);
        let request = request.challenge_name(NEW_PASSWORD).session(session);
        let request = request.challenge_responses("USERNAME", username);
        let request = request.challenge_responses("NEW_PASSWORD", password);
        request.send().await.map_err(|e| code(&e))
    }

    async fn refresh(&self, refresh_token: &str) -> Result<(), String> {
        let request = self.server.public.initiate_auth().client_id(&self.client);
        let request = request.auth_flow(AuthFlowType::RefreshTokenAuth);
        let request = request.auth_parameters("REFRESH_TOKEN", refresh_token);
        let out = request.send().await.map_err(|e| code(&e))?;
        assert!(out.authentication_result().is_some());
        Ok(())
    }

    /// GetUser with an access token: the username, or the error name.
    async fn get_user(&self, access_token: &str) -> Result<String, String> {
        let request = self.server.public.get_user().access_token(access_token);
        let out = request.send().await.map_err(|e| code(&e))?;
        Ok(out.username().to_owned())
    }

    /// The body of the newest message to `recipient`.
    async fn last_mail(&self, recipient: &str) -> String {
        let messages = self.server.state.store.list_mail(1000).await.expect("mail");
        let message = messages.iter().rev().find(|m| m.recipient == recipient);
        message.expect("a message").body.clone()
    }
}

/// The temporary password in an invitation written with the default template.
fn temporary_password_in(body: &str) -> String {
    let rest = body
        .split("temporary password is ")
        .nth(1)
        .and_then(|r| r.strip_suffix('.'));
    rest.expect("a temporary password").to_owned()
}

fn usernames(users: &[cip::types::UserType]) -> Vec<String> {
    users.iter().filter_map(|u| u.username()).map(str::to_owned).collect()
}

fn access_token(result: Option<&cip::types::AuthenticationResultType>) -> &str {
    result.and_then(|r| r.access_token()).expect("an access token")
}

#[tokio::test]
async fn admin_create_user_sends_an_invitation_unless_suppressed() {
    let f = Fixture::new().await;
    let created = f.invite("ivy", Some(TEMP), None).await.expect("create");
    let created_status = created.user().and_then(|u| u.user_status());
    assert_eq!(created_status, Some(&UserStatusType::ForceChangePassword));
    assert_eq!(f.status("ivy").await, Ok(UserStatusType::ForceChangePassword));
    assert_eq!(f.server.mail_count("ivy@example.com").await, 1);
    assert!(f.last_mail("ivy@example.com").await.contains(TEMP));

    f.quiet_invite("sam").await;
    assert_eq!(f.server.mail_count("sam@example.com").await, 0);
    f.challenge("sam", TEMP).await;

    let again = f.invite("IVY", Some(TEMP), None).await;
    assert_eq!(again.err().as_deref(), Some("UsernameExistsException"));
    assert_eq!(f.server.mail_count("ivy@example.com").await, 1);

    let resend = Some(MessageActionType::Resend);
    f.invite("ivy", None, resend.clone()).await.expect("resend");
    assert_eq!(f.server.mail_count("ivy@example.com").await, 2);
    let fresh = temporary_password_in(&f.last_mail("ivy@example.com").await);
    assert_ne!(fresh, TEMP);
    assert_eq!(f.sign_in_error("ivy", TEMP).await.as_deref(), NOT_AUTHORIZED);
    f.challenge("ivy", &fresh).await;

    let nobody = f.invite("nobody", None, resend).await;
    assert_eq!(nobody.err().as_deref(), NOT_FOUND);
    let weak = f.invite("wes", Some("weak"), None).await;
    assert_eq!(weak.err().as_deref(), Some("InvalidPasswordException"));
}

#[tokio::test]
async fn new_password_required_challenge_completes_the_sign_in() {
    let f = Fixture::new().await;
    f.invite("jo", Some(TEMP), None).await.expect("create");
    let out = f.server.try_sign_in(&f.client, "jo", TEMP).await.expect("sign in");
    assert_eq!(out.challenge_name(), Some(&NEW_PASSWORD));
    let parameters = out.challenge_parameters().expect("parameters");
    assert_eq!(parameters.get("USER_ID_FOR_SRP").map(String::as_str), Some("jo"));
    let session = out.session().expect("session");

    let weak = f.new_password(session, "jo", "short").await;
    assert_eq!(weak.err().as_deref(), Some("InvalidPasswordException"));
    assert_eq!(f.status("jo").await, Ok(UserStatusType::ForceChangePassword));
    let done = f.new_password(session, "jo", "Brand-N3w-Pass").await;
    let done = done.expect("the same session still works");
    let access = access_token(done.authentication_result());
    assert_eq!(f.get_user(access).await.as_deref(), Ok("jo"));
    assert_eq!(f.status("jo").await, Ok(UserStatusType::Confirmed));

    let reused = f.new_password(session, "jo", "An0ther-Pass").await;
    assert_eq!(reused.err().as_deref(), NOT_AUTHORIZED);
    assert_eq!(f.sign_in_error("jo", TEMP).await.as_deref(), NOT_AUTHORIZED);
    assert_eq!(f.sign_in_error("jo", "Brand-N3w-Pass").await, None);
}

#[tokio::test]
async fn temporary_passwords_expire() {
    let f = Fixture::new().await;
    f.quiet_invite("kim").await;
    f.server.clock.advance(6 * 86400);
    f.challenge("kim", TEMP).await;
    f.server.clock.advance(2 * 86400);
    assert_eq!(f.sign_in_error("kim", TEMP).await.as_deref(), NOT_AUTHORIZED);
}

#[tokio::test]
async fn get_disable_enable_and_delete_users() {
    let f = Fixture::new().await;
    assert_eq!(f.status("ghost").await.err().as_deref(), NOT_FOUND);
    f.server.confirmed_user(&f.client, "dan").await;
    let tokens = f.server.sign_in(&f.client, "dan", PASSWORD).await;
    let access = tokens.access_token().expect("at");
    let admin = &f.server.admin;

    let disable = admin.admin_disable_user().user_pool_id(&f.pool).username("dan");
    disable.send().await.expect("disable");
    assert!(!f.get("dan").await.expect("get").enabled());
    assert_eq!(f.sign_in_error("dan", PASSWORD).await.as_deref(), NOT_AUTHORIZED);
    assert_eq!(f.get_user(access).await.err().as_deref(), NOT_AUTHORIZED);

    let enable = admin.admin_enable_user().user_pool_id(&f.pool).username("dan");
    enable.send().await.expect("enable");
    assert!(f.get("dan").await.expect("get").enabled());
    assert_eq!(f.sign_in_error("dan", PASSWORD).await, None);

    let delete = || admin.admin_delete_user().user_pool_id(&f.pool).username("dan").send();
    delete().await.expect("delete");
    assert_eq!(f.get("dan").await.err().as_deref(), NOT_FOUND);
    assert_eq!(f.sign_in_error("dan", PASSWORD).await.as_deref(), NOT_FOUND);
    let again = delete().await.expect_err("already gone");
    assert_eq!(code(&again), "UserNotFoundException");
}

#[tokio::test]
async fn admin_confirm_sign_up_confirms_once() {
    let f = Fixture::new().await;
    f.sign_up("eli").await;
    assert_eq!(f.status("eli").await, Ok(UserStatusType::Unconfirmed));
    let confirm = || {
        let request = f.server.admin.admin_confirm_sign_up().user_pool_id(&f.pool);
        request.username("eli").send()
    };
    confirm().await.expect("confirm");
    assert_eq!(f.status("eli").await, Ok(UserStatusType::Confirmed));
    let again = confirm().await.expect_err("already confirmed");
    assert_eq!(code(&again), "NotAuthorizedException");
    assert_eq!(f.sign_in_error("eli", PASSWORD).await, None);
}

#[tokio::test]
async fn admin_set_user_password_permanent_or_temporary() {
    let f = Fixture::new().await;
    f.quiet_invite("flo").await;
    let set = |password: &str, permanent: bool| {
        let request = f.server.admin.admin_set_user_password().user_pool_id(&f.pool);
        request.username("flo").password(password).permanent(permanent).send()
    };
    let weak = set("weak", true).await.expect_err("weak");
    assert_eq!(code(&weak), "InvalidPasswordException");

    set("Perm-Passw0rd", true).await.expect("permanent");
    assert_eq!(f.status("flo").await, Ok(UserStatusType::Confirmed));
    assert_eq!(f.sign_in_error("flo", "Perm-Passw0rd").await, None);
    assert_eq!(f.sign_in_error("flo", TEMP).await.as_deref(), NOT_AUTHORIZED);

    set("Temp-Passw0rd", false).await.expect("temporary");
    assert_eq!(f.status("flo").await, Ok(UserStatusType::ForceChangePassword));
    let session = f.challenge("flo", "Temp-Passw0rd").await;
    let changed = f.new_password(&session, "flo", "Final-Passw0rd").await;
    changed.expect("changed");
    assert_eq!(f.sign_in_error("flo", "Final-Passw0rd").await, None);
}

#[tokio::test]
async fn admin_reset_user_password_requires_a_reset() {
    let f = Fixture::new().await;
    let email = f.server.confirmed_user(&f.client, "fay").await;
    let reset = f.server.admin.admin_reset_user_password().user_pool_id(&f.pool);
    reset.username("fay").send().await.expect("reset");
    assert_eq!(f.status("fay").await, Ok(UserStatusType::ResetRequired));
    let refused = f.sign_in_error("fay", PASSWORD).await;
    assert_eq!(refused.as_deref(), Some("PasswordResetRequiredException"));

    let forgot = f.server.public.forgot_password().client_id(&f.client);
    forgot.username("fay").send().await.expect("forgot");
    let reset_code = f.server.code_for(&email).await;
    let confirm = f.server.public.confirm_forgot_password().client_id(&f.client);
    let confirm = confirm.username("fay").confirmation_code(reset_code);
    confirm.password("Res3t-Password").send().await.expect("confirm");
    assert_eq!(f.status("fay").await, Ok(UserStatusType::Confirmed));
    assert_eq!(f.sign_in_error("fay", "Res3t-Password").await, None);
}

#[tokio::test]
async fn admin_update_and_delete_user_attributes() {
    let f = Fixture::new().await;
    let admin = &f.server.admin;
    let create = admin.admin_create_user().user_pool_id(&f.pool).username("gus");
    let create = create.message_action(MessageActionType::Suppress);
    create.send().await.expect("create without email");
    let set = admin.admin_set_user_password().user_pool_id(&f.pool).username("gus");
    set.password(PASSWORD).permanent(true).send().await.expect("password");
    let unknown = f.sign_in_error("gus@example.com", PASSWORD).await;
    assert_eq!(unknown.as_deref(), NOT_FOUND);

    let update = |username: &str, email: &str, verified: Option<&str>| {
        let request = admin.admin_update_user_attributes().user_pool_id(&f.pool);
        let mut attributes = vec![attr("email", email)];
        attributes.extend(verified.map(|v| attr("email_verified", v)));
        request.username(username).set_user_attributes(Some(attributes)).send()
    };
    update("gus", "gus@example.com", Some("true")).await.expect("update");
    assert_eq!(f.attribute("gus", "email").await.as_deref(), Some("gus@example.com"));
    assert_eq!(f.attribute("gus", "email_verified").await.as_deref(), Some("true"));
    let mails = f.server.mail_count("gus@example.com").await;
    assert_eq!(mails, 0, "no code for an email set as verified");
    let tokens = f.server.sign_in(&f.client, "gus@example.com", PASSWORD).await;
    let access = tokens.access_token().expect("at");
    assert_eq!(f.get_user(access).await.as_deref(), Ok("gus"));

    // A changed email without the flag is unverified, gets a code and is no alias yet.
    update("gus", "gus2@example.com", None).await.expect("update");
    assert_eq!(f.attribute("gus", "email_verified").await.as_deref(), Some("false"));
    assert_eq!(f.server.mail_count("gus2@example.com").await, 1);
    let unverified = f.sign_in_error("gus2@example.com", PASSWORD).await;
    assert_eq!(unverified.as_deref(), NOT_FOUND);

    let delete = admin.admin_delete_user_attributes().user_pool_id(&f.pool);
    let delete = delete.username("gus").user_attribute_names("email");
    delete.send().await.expect("delete attribute");
    assert_eq!(f.attribute("gus", "email").await, None);
    assert_eq!(f.attribute("gus", "email_verified").await, None);
    let missing = update("nobody", "n@example.com", None).await;
    assert_eq!(code(&missing.expect_err("unknown user")), "UserNotFoundException");
}

#[tokio::test]
async fn admin_user_global_sign_out_revokes_every_token() {
    let f = Fixture::new().await;
    f.server.confirmed_user(&f.client, "hal").await;
    let tokens = f.server.sign_in(&f.client, "hal", PASSWORD).await;
    let access = tokens.access_token().expect("at");
    let refresh_token = tokens.refresh_token().expect("rt");
    assert_eq!(f.get_user(access).await.as_deref(), Ok("hal"));
    f.refresh(refresh_token).await.expect("refresh works before");

    let sign_out = f.server.admin.admin_user_global_sign_out().user_pool_id(&f.pool);
    sign_out.username("hal").send().await.expect("sign out");
    assert_eq!(f.get_user(access).await.err().as_deref(), NOT_AUTHORIZED);
    assert_eq!(f.refresh(refresh_token).await.err().as_deref(), NOT_AUTHORIZED);
    let fresh = f.server.sign_in(&f.client, "hal", PASSWORD).await;
    let access = fresh.access_token().expect("at");
    assert_eq!(f.get_user(access).await.as_deref(), Ok("hal"));
}

#[tokio::test]
async fn admin_initiate_auth_and_respond_to_challenge() {
    let f = Fixture::new().await;
    f.server.confirmed_user(&f.client, "ian").await;
    let admin = &f.server.admin;
    let admin_auth = |client: &str, username: &str, password: &str| {
        let request = admin.admin_initiate_auth().user_pool_id(&f.pool).client_id(client);
        let request = request.auth_flow(AuthFlowType::AdminUserPasswordAuth);
        let request = request.auth_parameters("USERNAME", username);
        request.auth_parameters("PASSWORD", password).send()
    };
    let out = admin_auth(&f.client, "ian", PASSWORD).await.expect("admin sign-in");
    let access = access_token(out.authentication_result());
    assert_eq!(f.get_user(access).await.as_deref(), Ok("ian"));
    let wrong = admin_auth(&f.client, "ian", "Wrong-Passw0rd").await;
    assert_eq!(code(&wrong.expect_err("wrong password")), "NotAuthorizedException");

    let narrow = admin.create_user_pool_client().user_pool_id(&f.pool);
    let flow = ExplicitAuthFlowsType::AllowUserPasswordAuth;
    let narrow = narrow.client_name("narrow").explicit_auth_flows(flow);
    let narrow = narrow.send().await.expect("client");
    let narrow_id = narrow.user_pool_client().and_then(|c| c.client_id()).expect("id");
    let refused = admin_auth(narrow_id, "ian", PASSWORD).await;
    let refused = refused.expect_err("flow not allowed");
    assert_eq!(code(&refused), "InvalidParameterException");

    f.quiet_invite("joy").await;
    let out = admin_auth(&f.client, "joy", TEMP).await.expect("challenge");
    assert_eq!(out.challenge_name(), Some(&NEW_PASSWORD));
    let respond = admin.admin_respond_to_auth_challenge().user_pool_id(&f.pool);
    let respond = respond.client_id(&f.client).session(out.session().expect("session"));
    let respond = respond.challenge_name(NEW_PASSWORD);
    let respond = respond.challenge_responses("USERNAME", "joy");
    let respond = respond.challenge_responses("NEW_PASSWORD", "J0y-Password");
    let answer = respond.send().await.expect("answered");
    let access = access_token(answer.authentication_result());
    assert_eq!(f.get_user(access).await.as_deref(), Ok("joy"));
    assert_eq!(f.status("joy").await, Ok(UserStatusType::Confirmed));
}

#[tokio::test]
async fn list_users_filters_and_pages() {
    let f = Fixture::new().await;
    for name in ["user_a", "user_b", "usher", "uma"] {
        f.quiet_invite(name).await;
    }
    f.server.confirmed_user(&f.client, "carl").await;
    f.sign_up("al").await;
    f.sign_up("bo").await;
    let list = |filter: &str| {
        let request = f.server.admin.list_users().user_pool_id(&f.pool);
        let out = request.filter(filter).send();
        async move {
            let out = out.await.map_err(|e| code(&e))?;
            let mut names = usernames(out.users());
            names.sort();
            Ok::<_, String>(names)
        }
    };

    let prefixed = list("username ^= \"us\"").await.expect("prefix");
    assert_eq!(prefixed, ["user_a", "user_b", "usher"]);
    assert_eq!(list("email = \"uma@example.com\"").await.expect("email"), ["uma"]);
    let unconfirmed = list("cognito:user_status = \"UNCONFIRMED\"").await;
    assert_eq!(unconfirmed.expect("status"), ["al", "bo"]);
    let confirmed = list("cognito:user_status = \"CONFIRMED\"").await;
    assert_eq!(confirmed.expect("status"), ["carl"]);
    assert!(list("email = \"nobody@example.com\"").await.expect("none").is_empty());
    for malformed in ["username = us", "username ~ \"us\"", "nonsense"] {
        let err = list(malformed).await.expect_err(malformed);
        assert_eq!(err, "InvalidParameterException", "{malformed}");
    }

    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    while pages == 0 || token.is_some() {
        assert!(pages < 10, "the listing ends");
        let request = f.server.admin.list_users().user_pool_id(&f.pool).limit(2);
        let page = request.set_pagination_token(token.take()).send().await;
        let page = page.expect("page");
        pages += 1;
        assert!(page.users().len() <= 2);
        seen.extend(usernames(page.users()));
        token = page.pagination_token().map(str::to_owned);
    }
    assert_eq!(pages, 4);
    assert_eq!(seen.len(), 7, "{seen:?}");
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), 7, "each user exactly once: {seen:?}");

    let request = f.server.admin.list_users().user_pool_id(&f.pool);
    let only_email = request.attributes_to_get("email").send().await.expect("list");
    assert_eq!(only_email.users().len(), 7);
    for user in only_email.users() {
        let attributes: Vec<&str> = user.attributes().iter().map(|a| a.name()).collect();
        assert_eq!(attributes, ["email"], "{:?}", user.username());
    }
}
