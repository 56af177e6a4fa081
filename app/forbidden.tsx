import { ForbiddenView } from "@/components/auth/forbidden-view";

export default function Forbidden() {
  return <ForbiddenView />;
}
