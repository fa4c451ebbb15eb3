import React, { useEffect } from 'react';
import { Box, Button, H3, Text } from '@adminjs/design-system';

/** "My account" in the sidebar: the security page (password, two-factor) is a server-rendered page of its own. */
const AccountPage = () => {
  useEffect(() => {
    window.location.assign('/admin/account');
  }, []);
  return (
    <Box variant="white" p="xl">
      <H3>My account</H3>
      <Text mb="lg">Password and two-factor authentication are managed on your account security page.</Text>
      <Button as="a" href="/admin/account" variant="contained">Open account security</Button>
    </Box>
  );
};

export default AccountPage;
