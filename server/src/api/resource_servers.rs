//! Resource servers (CreateResourceServer, DescribeResourceServer, ListResourceServers,
//! UpdateResourceServer, DeleteResourceServer) — the custom scopes `<identifier>/<scope>` app
//! clients may be granted — and the pool's hosted-UI domain (CreateUserPoolDomain,
//! DescribeUserPoolDomain, DeleteUserPoolDomain). Cognate serves the hosted UI on its own root;
//! the domain is recorded and described as Cognito does.

use cognate_protocol::error::ErrorCode;
use cognate_protocol::oauth::{
    CreateUserPoolDomainResponse, DescribeUserPoolDomainRequest, DescribeUserPoolDomainResponse, DomainDescription,
    ListResourceServersRequest, ListResourceServersResponse, ResourceServerIdRequest, ResourceServerRequest,
    ResourceServerResponse, ResourceServerType, UserPoolDomainRequest,
};

use super::pools::Empty;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::user_pool::load_pool;

fn not_found(identifier: &str) -> ApiError {
    ApiError::new(
        ErrorCode::ResourceNotFound,
        format!("Resource server {identifier} does not exist."),
    )
}

/// Whether `text` is 1 to `max` characters, all in `allowed`.
fn fits(text: &str, max: usize, allowed: impl Fn(char) -> bool) -> bool {
    let length = text.chars().count();
    (1..=max).contains(&length) && text.chars().all(allowed)
}

fn validate(request: &ResourceServerRequest) -> ApiResult<ResourceServerType> {
    if !fits(&request.identifier, 256, |c| !c.is_whitespace() && !c.is_control()) {
        return Err(ApiError::invalid_parameter(
            "Identifier must be 1 to 256 characters without spaces.",
        ));
    }
    if !fits(&request.name, 256, |c| c.is_alphanumeric() || " _+=,.@-".contains(c)) {
        return Err(ApiError::invalid_parameter(
            "Name must be 1 to 256 characters: letters, digits, spaces and _+=,.@-",
        ));
    }
    if request.scopes.len() > 100 {
        return Err(ApiError::invalid_parameter("A resource server has at most 100 scopes."));
    }
    for scope in &request.scopes {
        // Cognito's pattern: printable ASCII except space, '"', '/' and '\'.
        if !fits(&scope.scope_name, 256, |c| {
            c.is_ascii_graphic() && !matches!(c, '"' | '/' | '\\')
        }) {
            return Err(ApiError::invalid_parameter(format!(
                "ScopeName {:?} must be 1 to 256 printable characters without spaces, quotes, / or \\.",
                scope.scope_name
            )));
        }
        if !fits(&scope.scope_description, 256, |c| !c.is_control()) {
            return Err(ApiError::invalid_parameter(
                "ScopeDescription must be 1 to 256 characters.",
            ));
        }
    }
    let mut names: Vec<&str> = request.scopes.iter().map(|s| s.scope_name.as_str()).collect();
    names.sort_unstable();
    if names.windows(2).any(|w| w[0] == w[1]) {
        return Err(ApiError::invalid_parameter("Scope names must be unique."));
    }
    Ok(ResourceServerType {
        user_pool_id: request.user_pool_id.clone(),
        identifier: request.identifier.clone(),
        name: request.name.clone(),
        scopes: request.scopes.clone(),
    })
}

pub async fn create_resource_server(
    state: &AppState,
    request: ResourceServerRequest,
) -> ApiResult<ResourceServerResponse> {
    load_pool(state, &request.user_pool_id).await?;
    let server = validate(&request)?;
    if !state.store.put_resource_server(&server, true).await? {
        return Err(ApiError::invalid_parameter(format!(
            "A resource server with identifier {} already exists in this user pool.",
            server.identifier
        )));
    }
    Ok(ResourceServerResponse {
        resource_server: server,
    })
}

pub async fn describe_resource_server(
    state: &AppState,
    request: ResourceServerIdRequest,
) -> ApiResult<ResourceServerResponse> {
    load_pool(state, &request.user_pool_id).await?;
    let server = state
        .store
        .get_resource_server(&request.user_pool_id, &request.identifier)
        .await?
        .ok_or_else(|| not_found(&request.identifier))?;
    Ok(ResourceServerResponse {
        resource_server: server,
    })
}

pub async fn update_resource_server(
    state: &AppState,
    request: ResourceServerRequest,
) -> ApiResult<ResourceServerResponse> {
    load_pool(state, &request.user_pool_id).await?;
    let server = validate(&request)?;
    if !state.store.put_resource_server(&server, false).await? {
        return Err(not_found(&server.identifier));
    }
    Ok(ResourceServerResponse {
        resource_server: server,
    })
}

pub async fn delete_resource_server(state: &AppState, request: ResourceServerIdRequest) -> ApiResult<Empty> {
    load_pool(state, &request.user_pool_id).await?;
    if !state
        .store
        .delete_resource_server(&request.user_pool_id, &request.identifier)
        .await?
    {
        return Err(not_found(&request.identifier));
    }
    Ok(Empty {})
}

pub async fn list_resource_servers(
    state: &AppState,
    request: ListResourceServersRequest,
) -> ApiResult<ListResourceServersResponse> {
    load_pool(state, &request.user_pool_id).await?;
    let limit = request
        .max_results
        .ok_or_else(|| ApiError::invalid_parameter("MaxResults is required."))?;
    if !(1..=50).contains(&limit) {
        return Err(ApiError::invalid_parameter("MaxResults must be between 1 and 50."));
    }
    let all = state.store.list_resource_servers(&request.user_pool_id).await?;
    let after = request.next_token.unwrap_or_default();
    let mut page: Vec<ResourceServerType> = all.into_iter().filter(|s| s.identifier > after).collect();
    let more = page.len() as i64 > limit;
    page.truncate(limit as usize);
    let next_token = if more {
        page.last().map(|s| s.identifier.clone())
    } else {
        None
    };
    Ok(ListResourceServersResponse {
        resource_servers: page,
        next_token,
    })
}

/// Cognito's prefix-domain rule: lowercase letters, digits and inner hyphens, 1 to 63 characters.
fn valid_domain(domain: &str) -> bool {
    let bytes = domain.as_bytes();
    (1..=63).contains(&bytes.len())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && bytes.first() != Some(&b'-')
        && bytes.last() != Some(&b'-')
}

pub async fn create_user_pool_domain(
    state: &AppState,
    request: UserPoolDomainRequest,
) -> ApiResult<CreateUserPoolDomainResponse> {
    load_pool(state, &request.user_pool_id).await?;
    if !valid_domain(&request.domain) {
        return Err(ApiError::invalid_parameter(format!(
            "Domain {:?} must be 1 to 63 lowercase letters, digits and hyphens, not starting or ending with a hyphen.",
            request.domain
        )));
    }
    if !matches!(request.managed_login_version, None | Some(1 | 2)) {
        return Err(ApiError::invalid_parameter("ManagedLoginVersion must be 1 or 2."));
    }
    if !state
        .store
        .create_domain(&request.domain, &request.user_pool_id, state.clock.now())
        .await?
    {
        return Err(ApiError::invalid_parameter(
            "Domain already associated with another user pool, or the user pool already has a domain.",
        ));
    }
    Ok(CreateUserPoolDomainResponse {
        managed_login_version: request.managed_login_version,
    })
}

pub async fn describe_user_pool_domain(
    state: &AppState,
    request: DescribeUserPoolDomainRequest,
) -> ApiResult<DescribeUserPoolDomainResponse> {
    let domain_description = match state.store.domain_owner(&request.domain).await? {
        Some(pool_id) => DomainDescription {
            user_pool_id: Some(pool_id),
            aws_account_id: Some("000000000000".into()),
            domain: Some(request.domain),
            version: Some("1".into()),
            status: Some("ACTIVE".into()),
            managed_login_version: Some(1),
        },
        None => DomainDescription::default(),
    };
    Ok(DescribeUserPoolDomainResponse { domain_description })
}

pub async fn delete_user_pool_domain(state: &AppState, request: UserPoolDomainRequest) -> ApiResult<Empty> {
    load_pool(state, &request.user_pool_id).await?;
    if !state
        .store
        .delete_domain(&request.domain, &request.user_pool_id)
        .await?
    {
        return Err(ApiError::invalid_parameter(format!(
            "Domain {} is not the domain of user pool {}.",
            request.domain, request.user_pool_id
        )));
    }
    Ok(Empty {})
}

#[cfg(test)]
mod tests {
    use super::valid_domain;

    #[test]
    fn domains_follow_cognitos_prefix_rule() {
        assert!(valid_domain("my-app-1"));
        assert!(!valid_domain("-app") && !valid_domain("app-") && !valid_domain("App") && !valid_domain(""));
        assert!(!valid_domain(&"a".repeat(64)) && !valid_domain("a.b"));
    }
}
