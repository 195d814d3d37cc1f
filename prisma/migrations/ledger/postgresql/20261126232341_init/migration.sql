-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "StoredKey" (
    "kid" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "alias" TEXT,
    "keyType" TEXT NOT NULL,
    "publicKeyHex" TEXT NOT NULL,
    "encryptedPrivateKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StoredKey_pkey" PRIMARY KEY ("kid")
);

-- CreateTable
CREATE TABLE "ServiceSetting" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ServiceSetting_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "LedgerBlock" (
    "number" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,
    "parentHash" TEXT NOT NULL,
    "transactionsRoot" TEXT NOT NULL,
    "timestamp" INTEGER NOT NULL,
    "txCount" INTEGER NOT NULL,
    "genesisDigest" TEXT NOT NULL,
    "signerKid" TEXT NOT NULL,
    "signature" TEXT NOT NULL,

    CONSTRAINT "LedgerBlock_pkey" PRIMARY KEY ("number")
);

-- CreateTable
CREATE TABLE "LedgerTransaction" (
    "hash" TEXT NOT NULL,
    "blockNumber" INTEGER NOT NULL,
    "txIndex" INTEGER NOT NULL,
    "fromAddress" TEXT NOT NULL,
    "toAddress" TEXT NOT NULL,
    "nonce" INTEGER NOT NULL,
    "registry" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "sender" TEXT NOT NULL,
    "raw" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "revertReason" TEXT,

    CONSTRAINT "LedgerTransaction_pkey" PRIMARY KEY ("hash")
);

-- CreateTable
CREATE TABLE "AccountNonce" (
    "address" TEXT NOT NULL,
    "nonce" INTEGER NOT NULL,

    CONSTRAINT "AccountNonce_pkey" PRIMARY KEY ("address")
);

-- CreateTable
CREATE TABLE "AuthNonceUsed" (
    "nonce" TEXT NOT NULL,
    "expiresAt" INTEGER NOT NULL,

    CONSTRAINT "AuthNonceUsed_pkey" PRIMARY KEY ("nonce")
);

-- CreateTable
CREATE TABLE "DidDocument" (
    "did" TEXT NOT NULL,
    "baseDocument" TEXT NOT NULL,
    "createdAt" INTEGER NOT NULL,
    "updatedAt" INTEGER NOT NULL,
    "createdBlock" INTEGER NOT NULL,
    "controllers" TEXT NOT NULL DEFAULT '[]',

    CONSTRAINT "DidDocument_pkey" PRIMARY KEY ("did")
);

-- CreateTable
CREATE TABLE "DidDocumentVersion" (
    "did" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "validFrom" INTEGER NOT NULL,
    "blockNumber" INTEGER NOT NULL,
    "state" TEXT NOT NULL,

    CONSTRAINT "DidDocumentVersion_pkey" PRIMARY KEY ("did","version")
);

-- CreateTable
CREATE TABLE "DidVerificationMethod" (
    "did" TEXT NOT NULL,
    "vMethodId" TEXT NOT NULL,
    "publicKeyJwk" TEXT NOT NULL,
    "isSecp256k1" BOOLEAN NOT NULL,
    "ethereumAddress" TEXT,
    "createdAt" INTEGER NOT NULL,

    CONSTRAINT "DidVerificationMethod_pkey" PRIMARY KEY ("did","vMethodId")
);

-- CreateTable
CREATE TABLE "DidVerificationRelationship" (
    "did" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "vMethodId" TEXT NOT NULL,
    "notBefore" TEXT NOT NULL,
    "notAfter" TEXT NOT NULL,

    CONSTRAINT "DidVerificationRelationship_pkey" PRIMARY KEY ("did","name","vMethodId")
);

-- CreateTable
CREATE TABLE "TirIssuer" (
    "did" TEXT NOT NULL,
    "createdAt" INTEGER NOT NULL,

    CONSTRAINT "TirIssuer_pkey" PRIMARY KEY ("did")
);

-- CreateTable
CREATE TABLE "TirAttribute" (
    "did" TEXT NOT NULL,
    "attributeId" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "issuerType" INTEGER NOT NULL,
    "tao" TEXT NOT NULL,
    "rootTao" TEXT NOT NULL,
    "taoAttributeId" TEXT NOT NULL,
    "updatedAt" INTEGER NOT NULL,

    CONSTRAINT "TirAttribute_pkey" PRIMARY KEY ("did","attributeId")
);

-- CreateTable
CREATE TABLE "TirAttributeRevision" (
    "id" SERIAL NOT NULL,
    "did" TEXT NOT NULL,
    "attributeId" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "issuerType" INTEGER NOT NULL,
    "tao" TEXT NOT NULL,
    "rootTao" TEXT NOT NULL,
    "blockNumber" INTEGER NOT NULL,
    "txHash" TEXT NOT NULL,
    "createdAt" INTEGER NOT NULL,

    CONSTRAINT "TirAttributeRevision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TirProxy" (
    "did" TEXT NOT NULL,
    "proxyId" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "headers" TEXT NOT NULL,
    "testSuffix" TEXT NOT NULL,
    "updatedAt" INTEGER NOT NULL,

    CONSTRAINT "TirProxy_pkey" PRIMARY KEY ("did","proxyId")
);

-- CreateTable
CREATE TABLE "TsrSchema" (
    "schemaId" TEXT NOT NULL,
    "schemaIdHex" TEXT NOT NULL,
    "latestRevisionId" TEXT NOT NULL,
    "createdAt" INTEGER NOT NULL,

    CONSTRAINT "TsrSchema_pkey" PRIMARY KEY ("schemaId")
);

-- CreateTable
CREATE TABLE "TsrSchemaRevision" (
    "schemaId" TEXT NOT NULL,
    "revisionId" TEXT NOT NULL,
    "schema" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "createdAt" INTEGER NOT NULL,
    "blockNumber" INTEGER NOT NULL,

    CONSTRAINT "TsrSchemaRevision_pkey" PRIMARY KEY ("schemaId","revisionId")
);

-- CreateTable
CREATE TABLE "TsrSchemaMetadata" (
    "schemaId" TEXT NOT NULL,
    "revisionId" TEXT NOT NULL,
    "metadataId" TEXT NOT NULL,
    "metadata" TEXT NOT NULL,
    "createdAt" INTEGER NOT NULL,

    CONSTRAINT "TsrSchemaMetadata_pkey" PRIMARY KEY ("schemaId","revisionId","metadataId")
);

-- CreateTable
CREATE TABLE "TsHashAlgorithm" (
    "hashAlgorithmId" INTEGER NOT NULL,
    "outputLengthBits" INTEGER NOT NULL,
    "ianaName" TEXT NOT NULL,
    "oid" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "multihash" TEXT NOT NULL,

    CONSTRAINT "TsHashAlgorithm_pkey" PRIMARY KEY ("hashAlgorithmId")
);

-- CreateTable
CREATE TABLE "TsTimestamp" (
    "timestampId" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "hashAlgorithmId" INTEGER NOT NULL,
    "timestampedBy" TEXT NOT NULL,
    "blockNumber" INTEGER NOT NULL,
    "timestamp" INTEGER NOT NULL,
    "transactionHash" TEXT NOT NULL,
    "data" TEXT NOT NULL,

    CONSTRAINT "TsTimestamp_pkey" PRIMARY KEY ("timestampId")
);

-- CreateTable
CREATE TABLE "TprUser" (
    "address" TEXT NOT NULL,
    "attributes" TEXT NOT NULL,
    "updatedAt" INTEGER NOT NULL,

    CONSTRAINT "TprUser_pkey" PRIMARY KEY ("address")
);

-- CreateTable
CREATE TABLE "TprPolicy" (
    "policyName" TEXT NOT NULL,
    "policyId" INTEGER NOT NULL,
    "description" TEXT NOT NULL,
    "operationType" TEXT NOT NULL,
    "status" BOOLEAN NOT NULL,
    "conditions" TEXT NOT NULL,

    CONSTRAINT "TprPolicy_pkey" PRIMARY KEY ("policyName")
);

-- CreateIndex
CREATE INDEX "StoredKey_owner_idx" ON "StoredKey"("owner");

-- CreateIndex
CREATE UNIQUE INDEX "StoredKey_owner_alias_key" ON "StoredKey"("owner", "alias");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerBlock_hash_key" ON "LedgerBlock"("hash");

-- CreateIndex
CREATE INDEX "LedgerTransaction_fromAddress_idx" ON "LedgerTransaction"("fromAddress");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerTransaction_blockNumber_txIndex_key" ON "LedgerTransaction"("blockNumber", "txIndex");

-- CreateIndex
CREATE INDEX "AuthNonceUsed_expiresAt_idx" ON "AuthNonceUsed"("expiresAt");

-- CreateIndex
CREATE INDEX "DidDocumentVersion_did_validFrom_idx" ON "DidDocumentVersion"("did", "validFrom");

-- CreateIndex
CREATE INDEX "DidVerificationMethod_ethereumAddress_idx" ON "DidVerificationMethod"("ethereumAddress");

-- CreateIndex
CREATE INDEX "TirAttributeRevision_did_attributeId_idx" ON "TirAttributeRevision"("did", "attributeId");

-- CreateIndex
CREATE UNIQUE INDEX "TsrSchema_schemaIdHex_key" ON "TsrSchema"("schemaIdHex");

-- CreateIndex
CREATE INDEX "TsrSchemaRevision_schemaId_createdAt_idx" ON "TsrSchemaRevision"("schemaId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "TprPolicy_policyId_key" ON "TprPolicy"("policyId");

