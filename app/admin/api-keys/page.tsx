import type { Metadata } from "next";
import { adminMetadata } from "@/app/admin/admin-metadata";
import { ApiKeysPanel } from "@/components/admin/api-keys-panel";
import { AdminSection } from "@/components/admin/section";
import { listApiKeys } from "@/lib/apikeys";
import { requireAdminPage } from "@/lib/auth";

export const generateMetadata = (): Promise<Metadata> => adminMetadata("API keys");

export default async function AdminApiKeysPage() {
  await requireAdminPage("/admin/api-keys");
  const keys = await listApiKeys();
  return (
    <AdminSection title="API keys" description="Machines send their key as Authorization: Bearer mk_…; only a hash is stored, so a lost key is replaced, not recovered.">
      <ApiKeysPanel keys={keys} />
    </AdminSection>
  );
}
