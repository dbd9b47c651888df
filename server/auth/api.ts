import { defineEndpoint } from "../contracts/endpoint";
import { ZMe } from "./schemas";

export const getMe = defineEndpoint({
  method: "GET",
  path: "/api/auth/me",
  summary: "Who am I: the caller's identity and permissions",
  tags: ["Auth"],
  access: "authenticated",
  response: ZMe,
});
