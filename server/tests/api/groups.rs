//! Groups: their operations, pagination, and the group, role and preferred-role claims of a
//! member's tokens.

use super::support::*;

async fn group(server: &TestServer, pool_id: &str, name: &str, precedence: Option<i32>, role: Option<&str>) {
    server
        .admin
        .create_group()
        .user_pool_id(pool_id)
        .group_name(name)
        .description(format!("the {name} group"))
        .set_precedence(precedence)
        .set_role_arn(role.map(str::to_owned))
        .send()
        .await
        .expect("create group");
}

#[tokio::test]
async fn groups_can_be_created_read_updated_listed_and_deleted() {
    let server = TestServer::start().await;
    let (pool_id, _) = server.pool_and_client(true).await;
    for name in ["admins", "editors", "readers"] {
        group(&server, &pool_id, name, Some(1), None).await;
    }
    let dup = server
        .admin
        .create_group()
        .user_pool_id(&pool_id)
        .group_name("admins")
        .send()
        .await;
    assert_eq!(code(&dup.expect_err("duplicate")), "GroupExistsException");
    let bad = server
        .admin
        .create_group()
        .user_pool_id(&pool_id)
        .group_name("x")
        .role_arn("not-an-arn")
        .send()
        .await;
    assert_eq!(code(&bad.expect_err("bad arn")), "InvalidParameterException");

    let got = server
        .admin
        .get_group()
        .user_pool_id(&pool_id)
        .group_name("editors")
        .send()
        .await
        .expect("get");
    assert_eq!(got.group().and_then(|g| g.description()), Some("the editors group"));
    let updated = server
        .admin
        .update_group()
        .user_pool_id(&pool_id)
        .group_name("editors")
        .precedence(7)
        .role_arn("arn:aws:iam::123456789012:role/Editors")
        .send()
        .await
        .expect("update");
    assert_eq!(updated.group().and_then(|g| g.precedence()), Some(7));
    assert_eq!(
        updated.group().and_then(|g| g.description()),
        Some("the editors group"),
        "kept"
    );

    let mut names = Vec::new();
    let mut token = None;
    loop {
        let page = server
            .admin
            .list_groups()
            .user_pool_id(&pool_id)
            .limit(2)
            .set_next_token(token)
            .send()
            .await;
        let page = page.expect("list");
        names.extend(page.groups().iter().filter_map(|g| g.group_name()).map(str::to_owned));
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(names, ["admins", "editors", "readers"]);

    server
        .admin
        .delete_group()
        .user_pool_id(&pool_id)
        .group_name("readers")
        .send()
        .await
        .expect("delete");
    let gone = server
        .admin
        .get_group()
        .user_pool_id(&pool_id)
        .group_name("readers")
        .send()
        .await;
    assert_eq!(code(&gone.expect_err("deleted")), "ResourceNotFoundException");
}

#[tokio::test]
async fn membership_shows_in_listings_and_tokens() {
    let server = TestServer::start().await;
    let (pool_id, client_id) = server.pool_and_client(true).await;
    group(
        &server,
        &pool_id,
        "staff",
        Some(10),
        Some("arn:aws:iam::123456789012:role/Staff"),
    )
    .await;
    group(
        &server,
        &pool_id,
        "admins",
        Some(1),
        Some("arn:aws:iam::123456789012:role/Admin"),
    )
    .await;
    group(&server, &pool_id, "newsletter", None, None).await;
    server.confirmed_user(&client_id, "olga").await;
    server.confirmed_user(&client_id, "pete").await;
    for name in ["staff", "admins"] {
        let add = server
            .admin
            .admin_add_user_to_group()
            .user_pool_id(&pool_id)
            .username("olga")
            .group_name(name);
        add.send().await.expect("add");
    }
    let twice = server
        .admin
        .admin_add_user_to_group()
        .user_pool_id(&pool_id)
        .username("olga")
        .group_name("staff");
    twice.send().await.expect("adding twice is fine");
    let pete = server
        .admin
        .admin_add_user_to_group()
        .user_pool_id(&pool_id)
        .username("pete")
        .group_name("staff");
    pete.send().await.expect("add pete");
    let nobody = server
        .admin
        .admin_add_user_to_group()
        .user_pool_id(&pool_id)
        .username("nobody")
        .group_name("staff");
    assert_eq!(
        code(&nobody.send().await.expect_err("no such user")),
        "UserNotFoundException"
    );

    let mine = server
        .admin
        .admin_list_groups_for_user()
        .user_pool_id(&pool_id)
        .username("olga")
        .send()
        .await;
    let mine: Vec<String> = mine
        .expect("list")
        .groups()
        .iter()
        .filter_map(|g| g.group_name())
        .map(str::to_owned)
        .collect();
    assert_eq!(mine, ["admins", "staff"]);
    let members = server
        .admin
        .list_users_in_group()
        .user_pool_id(&pool_id)
        .group_name("staff")
        .limit(1)
        .send()
        .await;
    let members = members.expect("members");
    assert_eq!(members.users().len(), 1);
    let rest = server
        .admin
        .list_users_in_group()
        .user_pool_id(&pool_id)
        .group_name("staff")
        .set_next_token(members.next_token().map(str::to_owned))
        .send()
        .await
        .expect("second page");
    assert_eq!(rest.users().len(), 1);
    assert!(rest.next_token().is_none());

    let tokens = server.sign_in(&client_id, "olga", PASSWORD).await;
    let id = claims(tokens.id_token().expect("id token"));
    assert_eq!(id["cognito:groups"], serde_json::json!(["admins", "staff"]));
    assert_eq!(
        id["cognito:roles"],
        serde_json::json!([
            "arn:aws:iam::123456789012:role/Admin",
            "arn:aws:iam::123456789012:role/Staff"
        ])
    );
    assert_eq!(id["cognito:preferred_role"], "arn:aws:iam::123456789012:role/Admin");
    let access = claims(tokens.access_token().expect("access token"));
    assert_eq!(access["cognito:groups"], serde_json::json!(["admins", "staff"]));

    let remove = server
        .admin
        .admin_remove_user_from_group()
        .user_pool_id(&pool_id)
        .username("olga");
    remove.group_name("admins").send().await.expect("remove");
    let id = claims(
        server
            .sign_in(&client_id, "olga", PASSWORD)
            .await
            .id_token()
            .expect("id"),
    );
    assert_eq!(id["cognito:groups"], serde_json::json!(["staff"]));
    assert_eq!(id["cognito:preferred_role"], "arn:aws:iam::123456789012:role/Staff");

    let plain = claims(
        server
            .sign_in(&client_id, "pete", PASSWORD)
            .await
            .id_token()
            .expect("id"),
    );
    assert_eq!(plain["cognito:groups"], serde_json::json!(["staff"]));
    server
        .admin
        .delete_group()
        .user_pool_id(&pool_id)
        .group_name("staff")
        .send()
        .await
        .expect("delete");
    let none = claims(
        server
            .sign_in(&client_id, "pete", PASSWORD)
            .await
            .id_token()
            .expect("id"),
    );
    assert!(none.get("cognito:groups").is_none(), "{none}");
}
