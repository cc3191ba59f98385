//! The operations of the user-pool API, named as in `X-Amz-Target:
//! AWSCognitoIdentityProviderService.<Operation>`.
//!
//! Cognito accepts a handful of operations unsigned — the ones a browser calls on behalf of a
//! user, authorised by a client id, a code or an access token. Everything else (pool and client
//! management, `Admin*`, `ListUsers`) must carry an AWS SigV4 signature by an admin key.

macro_rules! operations {
    (public: [$($public:ident),* $(,)?], admin: [$($admin:ident),* $(,)?]) => {
        /// One user-pool API operation.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Operation { $($public,)* $($admin,)* }

        impl Operation {
            /// Parses the part of `X-Amz-Target` after the service prefix.
            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    $(stringify!($public) => Some(Operation::$public),)*
                    $(stringify!($admin) => Some(Operation::$admin),)*
                    _ => None,
                }
            }

            /// The operation's name as it appears on the wire.
            pub fn name(self) -> &'static str {
                match self {
                    $(Operation::$public => stringify!($public),)*
                    $(Operation::$admin => stringify!($admin),)*
                }
            }

            /// Whether the operation requires a SigV4 signature by an admin key.
            pub fn requires_signature(self) -> bool {
                match self {
                    $(Operation::$public => false,)*
                    $(Operation::$admin => true,)*
                }
            }
        }
    };
}

operations!(
    public: [
        SignUp,
        ConfirmSignUp,
        ResendConfirmationCode,
        InitiateAuth,
        RespondToAuthChallenge,
        GetTokensFromRefreshToken,
        ForgotPassword,
        ConfirmForgotPassword,
        GetUser,
        UpdateUserAttributes,
        GetUserAttributeVerificationCode,
        VerifyUserAttribute,
        DeleteUserAttributes,
        ChangePassword,
        GlobalSignOut,
        RevokeToken,
        DeleteUser,
        AssociateSoftwareToken,
        VerifySoftwareToken,
        SetUserMFAPreference,
        ConfirmDevice,
        GetDevice,
        ListDevices,
        UpdateDeviceStatus,
        ForgetDevice,
    ],
    admin: [
        CreateUserPool,
        DescribeUserPool,
        ListUserPools,
        UpdateUserPool,
        DeleteUserPool,
        CreateUserPoolClient,
        DescribeUserPoolClient,
        ListUserPoolClients,
        UpdateUserPoolClient,
        DeleteUserPoolClient,
        AdminCreateUser,
        AdminGetUser,
        AdminDeleteUser,
        AdminDisableUser,
        AdminEnableUser,
        AdminConfirmSignUp,
        AdminSetUserPassword,
        AdminResetUserPassword,
        AdminUpdateUserAttributes,
        AdminDeleteUserAttributes,
        AdminUserGlobalSignOut,
        AdminInitiateAuth,
        AdminRespondToAuthChallenge,
        ListUsers,
        CreateGroup,
        GetGroup,
        ListGroups,
        UpdateGroup,
        DeleteGroup,
        AdminAddUserToGroup,
        AdminRemoveUserFromGroup,
        AdminListGroupsForUser,
        ListUsersInGroup,
        GetCSVHeader,
        CreateUserImportJob,
        StartUserImportJob,
        StopUserImportJob,
        DescribeUserImportJob,
        ListUserImportJobs,
        CreateResourceServer,
        DescribeResourceServer,
        ListResourceServers,
        UpdateResourceServer,
        DeleteResourceServer,
        CreateUserPoolDomain,
        DescribeUserPoolDomain,
        DeleteUserPoolDomain,
        SetUserPoolMfaConfig,
        GetUserPoolMfaConfig,
        AdminSetUserMFAPreference,
        AdminGetDevice,
        AdminListDevices,
        AdminUpdateDeviceStatus,
        AdminForgetDevice,
    ]
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_and_admin_operations_are_told_apart() {
        assert_eq!(Operation::from_name("SignUp"), Some(Operation::SignUp));
        assert!(!Operation::SignUp.requires_signature());
        assert!(Operation::AdminCreateUser.requires_signature());
        assert!(Operation::ListUsers.requires_signature());
        assert_eq!(Operation::from_name("signup"), None);
        assert_eq!(Operation::InitiateAuth.name(), "InitiateAuth");
    }
}
