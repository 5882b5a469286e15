// The shapes of Lighthouse authorizations as stored in a registration definition.

export interface Authorization {
  principalId: string;
  principalIdDisplayName?: string;
  roleDefinitionId: string;
  delegatedRoleDefinitionIds?: string[];
}

export interface JustInTimeAccessPolicy {
  multiFactorAuthProvider: 'Azure' | 'None';
  maximumActivationDuration: string;
  managedByTenantApprovers?: { principalId: string; principalIdDisplayName?: string }[];
}

export interface EligibleAuthorization {
  principalId: string;
  principalIdDisplayName?: string;
  roleDefinitionId: string;
  justInTimeAccessPolicy: JustInTimeAccessPolicy;
}
