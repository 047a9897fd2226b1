// The Admin GraphQL documents the publisher sends. They are validated against Shopify's Admin schema
// (../shared/data/shopify-admin-graphql) by the test double in test/support/shopify-metafields.ts, so a field
// Shopify does not have fails a test, not a publish.

export const METAFIELDS_SET = /* GraphQL */ `
  mutation CadenceMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields {
        key
        namespace
        ownerType
      }
      userErrors {
        field
        message
        code
        elementIndex
      }
    }
  }
`;

export const METAFIELDS_DELETE = /* GraphQL */ `
  mutation CadenceMetafieldsDelete($metafields: [MetafieldIdentifierInput!]!) {
    metafieldsDelete(metafields: $metafields) {
      deletedMetafields {
        key
        namespace
        ownerId
      }
      userErrors {
        field
        message
      }
    }
  }
`;

/** Creates one definition (app/storefront-contract/metafields.ts metafieldDefinitionInputs); run once per key at install. */
export const METAFIELD_DEFINITION_CREATE = /* GraphQL */ `
  mutation CadenceMetafieldDefinitionCreate($definition: MetafieldDefinitionInput!) {
    metafieldDefinitionCreate(definition: $definition) {
      createdDefinition {
        id
        key
        namespace
        ownerType
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

/** Grants an existing definition the access a later version of Cadence needs (customer-account READ). */
export const METAFIELD_DEFINITION_UPDATE = /* GraphQL */ `
  mutation CadenceMetafieldDefinitionUpdate($definition: MetafieldDefinitionUpdateInput!) {
    metafieldDefinitionUpdate(definition: $definition) {
      updatedDefinition {
        id
        key
        namespace
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

/** The shop's GID, the owner of the guest-offer metafield. */
export const SHOP_ID = /* GraphQL */ `
  query CadenceShopId {
    shop {
      id
    }
  }
`;
