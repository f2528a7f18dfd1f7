// Unit page (one shareable URL per unit, by id or slug): the evidence of what the unit responds to and the
// live annotation panel. Rendering happens in the client view, which reads the API through urql.
import type { Metadata } from "next";
import { UnitView } from "../../../features/units/UnitView";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  return { title: `Unit ${decodeURIComponent(id)}` };
}

export default async function UnitPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <UnitView unitId={decodeURIComponent(id)} />;
}
