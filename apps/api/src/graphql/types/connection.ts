// Relay connection types (PageInfo, UnitConnection/UnitEdge).
import { Field, ObjectType } from "type-graphql";
import { UnitType } from "./catalog";

@ObjectType("PageInfo")
export class PageInfoType {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => Boolean) hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ObjectType("UnitEdge")
export class UnitEdgeType {
  @Field(() => String) cursor!: string;
  @Field(() => UnitType) node!: UnitType;
}

@ObjectType("UnitConnection")
export class UnitConnectionType {
  @Field(() => [UnitEdgeType]) edges!: UnitEdgeType[];
  @Field(() => PageInfoType) pageInfo!: PageInfoType;
}
