//! `cognate export --pool <id> [--format csv|json]`: writes a pool's users as Cognito's user
//! import CSV (the columns GetCSVHeader names, so the file imports into any Cognito or Cognate
//! pool of the same schema), or its users and groups as JSON, read through the admin API
//! (ListUsers, ListGroups, ListUsersInGroup) as any API client would.
//!
//! Passwords never leave the server: imported users must reset theirs, as with any Cognito
//! import. The CSV's `cognito:mfa_enabled` column is `false` (MFA settings are not exported).

use std::io::Write;

use anyhow::Context;
use cognate_protocol::admin::{ListUsersResponse, UserType};
use cognate_protocol::group::{ListGroupsResponse, ListUsersInGroupResponse};
use cognate_protocol::import::GetCsvHeaderResponse;
use serde_json::{json, Value};

use super::{AdminClient, AdminKey};

/// Users and groups asked for per page.
const PAGE: i64 = 60;

/// The format written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Cognito's user import CSV.
    Csv,
    /// Users (with status and attributes) and groups (with members).
    Json,
}

impl std::str::FromStr for ExportFormat {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "csv" => Ok(ExportFormat::Csv),
            "json" => Ok(ExportFormat::Json),
            other => Err(format!("--format must be csv or json, not {other:?}")),
        }
    }
}

/// What `cognate export` was asked to do.
#[derive(Debug)]
pub struct ExportCommand {
    pub pool_id: String,
    pub endpoint: String,
    pub format: ExportFormat,
    pub key: AdminKey,
}

/// Writes the export to `out`; returns how many users it holds.
pub async fn run(command: &ExportCommand, out: impl Write) -> anyhow::Result<usize> {
    let client = AdminClient::for_pool(&command.endpoint, command.key.clone(), &command.pool_id)?;
    let users = list_users(&client, &command.pool_id).await?;
    match command.format {
        ExportFormat::Csv => write_csv(&client, &command.pool_id, &users, out).await?,
        ExportFormat::Json => write_json(&client, &command.pool_id, &users, out).await?,
    }
    Ok(users.len())
}

async fn list_users(client: &AdminClient, pool_id: &str) -> anyhow::Result<Vec<UserType>> {
    let mut users = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut request = json!({ "UserPoolId": pool_id, "Limit": PAGE });
        if let Some(token) = &token {
            request["PaginationToken"] = json!(token);
        }
        let page: ListUsersResponse = client.call("ListUsers", &request).await?;
        users.extend(page.users);
        match page.pagination_token {
            Some(next) => token = Some(next),
            None => return Ok(users),
        }
    }
}

fn attribute<'a>(user: &'a UserType, name: &str) -> &'a str {
    user.attributes
        .iter()
        .find(|a| a.name == name)
        .and_then(|a| a.value.as_deref())
        .unwrap_or("")
}

async fn write_csv(client: &AdminClient, pool_id: &str, users: &[UserType], out: impl Write) -> anyhow::Result<()> {
    let header: GetCsvHeaderResponse = client.call("GetCSVHeader", &json!({ "UserPoolId": pool_id })).await?;
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(&header.csv_header)?;
    for user in users {
        let row = header.csv_header.iter().map(|column| match column.as_str() {
            "cognito:username" => user.username.as_str(),
            "cognito:mfa_enabled" => "false",
            // The verified flags as booleans where the user has the attribute, else left empty.
            "email_verified" | "phone_number_verified" => {
                let base = column.trim_end_matches("_verified");
                match (attribute(user, base), attribute(user, column)) {
                    ("", _) => "",
                    (_, "true") => "true",
                    _ => "false",
                }
            }
            name => attribute(user, name),
        });
        writer.write_record(row)?;
    }
    writer.flush().context("writing the CSV")?;
    Ok(())
}

async fn write_json(
    client: &AdminClient,
    pool_id: &str,
    users: &[UserType],
    mut out: impl Write,
) -> anyhow::Result<()> {
    let mut groups = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut request = json!({ "UserPoolId": pool_id, "Limit": PAGE });
        if let Some(token) = &token {
            request["NextToken"] = json!(token);
        }
        let page: ListGroupsResponse = client.call("ListGroups", &request).await?;
        for group in page.groups {
            let members = group_members(client, pool_id, &group.group_name).await?;
            groups.push(json!({
                "GroupName": group.group_name,
                "Description": group.description,
                "Precedence": group.precedence,
                "RoleArn": group.role_arn,
                "Members": members,
            }));
        }
        match page.next_token {
            Some(next) => token = Some(next),
            None => break,
        }
    }
    let users: Vec<Value> = users
        .iter()
        .map(|user| {
            let attributes: serde_json::Map<String, Value> = user
                .attributes
                .iter()
                .map(|a| (a.name.clone(), json!(a.value)))
                .collect();
            json!({
                "Username": user.username,
                "UserStatus": user.user_status,
                "Enabled": user.enabled,
                "UserCreateDate": user.user_create_date,
                "Attributes": attributes,
            })
        })
        .collect();
    let document = json!({ "UserPoolId": pool_id, "Users": users, "Groups": groups });
    serde_json::to_writer_pretty(&mut out, &document)?;
    writeln!(out)?;
    Ok(())
}

async fn group_members(client: &AdminClient, pool_id: &str, group: &str) -> anyhow::Result<Vec<String>> {
    let mut members = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut request = json!({ "UserPoolId": pool_id, "GroupName": group, "Limit": PAGE });
        if let Some(token) = &token {
            request["NextToken"] = json!(token);
        }
        let page: ListUsersInGroupResponse = client.call("ListUsersInGroup", &request).await?;
        members.extend(page.users.into_iter().map(|u| u.username));
        match page.next_token {
            Some(next) => token = Some(next),
            None => return Ok(members),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_named_csv_or_json() {
        assert_eq!("csv".parse::<ExportFormat>(), Ok(ExportFormat::Csv));
        assert_eq!("json".parse::<ExportFormat>(), Ok(ExportFormat::Json));
        assert!("xml".parse::<ExportFormat>().is_err());
    }
}
